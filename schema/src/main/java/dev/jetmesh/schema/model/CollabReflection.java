package dev.jetmesh.schema.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One node's reflection at the end of its work in a round (REFERENCE.md section 2), with its vote.
 *
 * @param vote a {@link Vote}; when {@code parse_failed}, whatever the agent sent (usually {@code
 *     parse_error}), and then it never counts as a vote
 * @param metricPassed what the node's run of the task metric on the merged work said; null when it
 *     did not run one. Used by {@code metric} convergence.
 */
public record CollabReflection(
    String nodeId,
    String summary,
    String learnings,
    List<String> artifacts,
    double confidence,
    ReflectionVote vote,
    boolean parseFailed,
    @Nullable Boolean metricPassed,
    Instant submittedAt) {
  public CollabReflection {
    artifacts = List.copyOf(artifacts);
    Objects.requireNonNull(vote, "null vote");
    if (!parseFailed && !(vote instanceof Vote)) {
      throw new IllegalArgumentException("a parsed reflection must vote: " + vote);
    }
  }

  /** True when this reflection is a valid vote (it did not fail to parse). */
  public boolean valid() {
    return !parseFailed;
  }
}
