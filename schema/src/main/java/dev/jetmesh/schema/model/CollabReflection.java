package dev.jetmesh.schema.model;

import java.math.BigDecimal;
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
 * @param metricScore the score that run printed (docs/worker.md, "Metric scores"); null when it
 *     printed none or ran none, and in reflections stored before scores existed
 * @param costUsd what the node's round cost as its provider reported it; null when unknown
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
    @Nullable BigDecimal metricScore,
    @Nullable BigDecimal costUsd,
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
