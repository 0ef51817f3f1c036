package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

/**
 * What a node says at the end of a round (REFERENCE.md section 4.9), as parsed from the LLM's
 * output. Immutable.
 *
 * @param summary what the node did; never null
 * @param learnings what the others should know; never null
 * @param confidence the node's confidence; in [0,1] for a JSON block, as written for the legacy
 *     block (see {@link #wireConfidence})
 * @param vote {@code continue}, {@code converged}, {@code blocked}, or {@code parse_error}
 * @param parseFailed whether the output had no usable reflection
 */
public record Reflection(
    String summary, String learnings, double confidence, String vote, boolean parseFailed) {
  /** The votes a reflection may cast. */
  public static final java.util.List<String> VOTES =
      java.util.List.of("continue", "converged", "blocked");

  /** The vote of a reflection that could not be parsed. */
  public static final String PARSE_ERROR = "parse_error";

  public Reflection {
    requireNonNull(summary, "null summary");
    requireNonNull(learnings, "null learnings");
    requireNonNull(vote, "null vote");
  }

  /**
   * The confidence as the wire accepts it: the legacy block keeps whatever number it held (the
   * reference's behaviour), but {@code mesh.collab.reflect} takes only [0,1], so it is clamped here
   * rather than have the whole reflection refused and the round wait for its timeout.
   */
  public double wireConfidence() {
    if (Double.isNaN(confidence)) {
      return 0.5;
    }
    return Math.max(0.0, Math.min(1.0, confidence));
  }
}
