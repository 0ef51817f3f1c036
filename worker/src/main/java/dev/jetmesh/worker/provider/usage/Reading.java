package dev.jetmesh.worker.provider.usage;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a CLI's output says: the answer text, the cost if the CLI reported one, and the tokens per
 * model. Immutable.
 *
 * @param text the answer text
 * @param reportedCostUsd the cost the CLI itself printed, in US dollars, or null
 * @param tokens the usage per model; empty when the CLI reported none
 */
public record Reading(String text, @Nullable BigDecimal reportedCostUsd, List<ModelTokens> tokens) {
  public Reading {
    requireNonNull(text, "null text");
    tokens = List.copyOf(requireNonNull(tokens, "null tokens"));
  }

  /** Plain text: no cost, no tokens. */
  public static Reading text(@Nullable String text) {
    return new Reading(text == null ? "" : text, null, List.of());
  }

  /** The run's total over every model, or null when no usage was reported. */
  public @Nullable TokenUsage totalTokens() {
    TokenUsage sum = null;
    for (ModelTokens m : tokens) {
      sum = sum == null ? m.tokens() : sum.plus(m.tokens());
    }
    return sum == null || sum.isUnknown() ? null : sum;
  }
}
