package dev.jetmesh.worker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's output means: the text the LLM produced, the cost in US dollars and the token
 * usage, each null when unknown.
 *
 * @param text the answer text
 * @param costUsd what the run cost, or null when unknown (never 0 for unknown)
 * @param tokens the run's tokens, {@code {"input","cached_input","output","total"}} with unknown
 *     counts left out (see {@code usage.TokenUsage}), or null when none is known
 */
public record RunOutput(String text, @Nullable BigDecimal costUsd, @Nullable JsonNode tokens) {
  /** Plain text with no cost or token information. */
  public static RunOutput text(String text) {
    return new RunOutput(text, null, null);
  }
}
