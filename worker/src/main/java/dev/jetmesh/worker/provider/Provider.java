package dev.jetmesh.worker.provider;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.Reading;
import dev.jetmesh.worker.provider.usage.TokenUsage;
import dev.jetmesh.worker.provider.usage.UsageFormat;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One LLM CLI family. A provider turns a prompt into an {@link Invocation} and reads the CLI's
 * output; it never runs anything itself. Implementations are immutable and thread-safe.
 */
public sealed interface Provider
    permits ClaudeProvider, FlagProvider, OllamaProvider, ShellProvider {

  /** The name tasks and configuration use ({@code claude}, {@code openai}, ...). */
  String name();

  /** The model used when neither the task nor the flag names one; null if the CLI picks. */
  @Nullable String defaultModel();

  /** Environment variables (exact, or prefixes ending in {@code *}) the child must not see. */
  List<String> envStrip();

  /** The argument vector and working directory of one run. */
  Invocation invocation(RunRequest request);

  /** Which report of usage the CLI's output carries. */
  UsageFormat usageFormat();

  /** Prices for the tokens of CLIs that report no money. */
  PriceTable prices();

  /**
   * Reads a finished run: the answer text, the token usage and the cost. The cost is the one the
   * CLI printed; else its tokens priced from {@link #prices()}; else null (unknown, never 0).
   *
   * @param model the model the run was started with, or null
   */
  default RunOutput interpret(@Nullable String model, String stdout, String stderr) {
    Reading r = usageFormat().read(stdout, stderr);
    BigDecimal cost =
        r.reportedCostUsd() != null
            ? r.reportedCostUsd()
            : prices().cost(name(), model, r.tokens());
    TokenUsage tokens = r.totalTokens();
    return new RunOutput(r.text(), cost, tokens == null ? null : tokens.toJson());
  }
}
