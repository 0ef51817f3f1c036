/**
 * LLM providers: the built-in CLI families of the reference mesh agent (claude, openai (alias
 * codex), gemini, deepseek, kimi, minimax, ollama, aider, shell), custom providers read from a JSON
 * file, provider and model resolution, and what a run's output means ({@link
 * dev.jetmesh.worker.provider.RunOutput}: answer text, tokens, cost, read by {@code usage}). A
 * provider only turns a prompt into an argument vector; running it is {@code process}'s job.
 */
@NullMarked
package dev.jetmesh.worker.provider;

import org.jspecify.annotations.NullMarked;
