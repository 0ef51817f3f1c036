/**
 * What an LLM CLI's output says it used: the answer text, the token usage in one stable shape
 * ({@link TokenUsage}), the cost when the CLI reports it, and the {@link PriceTable} that prices
 * tokens when it does not. One reader per CLI family ({@code ClaudeOutput}, {@code CodexOutput},
 * {@code GeminiOutput}, {@code OllamaOutput}, {@code AiderOutput}), chosen by {@link UsageFormat}.
 * Readers never fail: output they cannot read has unknown usage. Unknown is null, never 0.
 */
@NullMarked
package dev.jetmesh.worker.provider.usage;

import org.jspecify.annotations.NullMarked;
