package dev.jetmesh.worker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What a provider's standard output means: the text the LLM produced and, when the provider reports
 * them, the cost in US dollars and the token usage.
 */
public record RunOutput(String text, @Nullable BigDecimal costUsd, @Nullable JsonNode tokens) {
  /** Plain text with no cost or token information. */
  public static RunOutput text(String text) {
    return new RunOutput(text, null, null);
  }
}
