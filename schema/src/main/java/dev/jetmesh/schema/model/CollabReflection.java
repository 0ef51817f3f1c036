package dev.jetmesh.schema.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One node's reflection at the end of its work in a round (REFERENCE.md section 2), with its vote.
 *
 * @param vote {@code continue}, {@code converged} or {@code blocked}; anything (usually {@code
 *     parse_error}) when {@code parse_failed}, and then it never counts as a vote
 * @param metricPassed what the node's run of the task metric on the merged work said; null when it
 *     did not run one. Used by {@code metric} convergence.
 */
public record CollabReflection(
    String nodeId,
    String summary,
    String learnings,
    List<String> artifacts,
    double confidence,
    String vote,
    boolean parseFailed,
    @Nullable Boolean metricPassed,
    Instant submittedAt) {
  public CollabReflection {
    artifacts = List.copyOf(artifacts);
  }

  /** True when this reflection is a valid vote (it did not fail to parse). */
  public boolean valid() {
    return !parseFailed;
  }
}
