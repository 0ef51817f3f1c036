package dev.jetmesh.worker.provider.usage;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The tokens one model used within a run. Most CLIs do not name the model in their usage report;
 * then {@code model} is null and means the model the run was started with.
 *
 * @param model the model the CLI named, or null for the run's model
 * @param tokens its counts
 */
public record ModelTokens(@Nullable String model, TokenUsage tokens) {
  public ModelTokens {
    requireNonNull(tokens, "null tokens");
  }

  /** Tokens of the run's own model. */
  public static ModelTokens ofRunModel(TokenUsage tokens) {
    return new ModelTokens(null, tokens);
  }
}
