package dev.jetmesh.schema.model;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * How a session decides that it has converged (REFERENCE.md section 4.6).
 *
 * @param type the rule
 * @param threshold for {@code majority}: the share of valid votes that must be {@code converged}
 * @param metric the task's metric command, for the record; workers run it, never the orchestrator
 * @param minQuorum valid (not parse-failed) votes a round needs before it can converge
 * @param coordinator for {@code coordinator}: the node or user allowed to cast the deciding vote;
 *     null means the session's first member
 * @param scoreThreshold for {@code metric}: the task's {@code metric_threshold}, which the round's
 *     best score must meet; null: every metric check must pass (and in sessions created before
 *     scores existed)
 * @param scoreDirection the task's {@code metric_direction}; null reads as {@code higher}
 */
public record CollabConvergence(
    ConvergenceType type,
    double threshold,
    @Nullable String metric,
    int minQuorum,
    @Nullable String coordinator,
    @Nullable BigDecimal scoreThreshold,
    @Nullable MetricDirection scoreDirection) {

  /** This rule with the task's score target. */
  public CollabConvergence withScoreTarget(
      @Nullable BigDecimal threshold, @Nullable MetricDirection direction) {
    return new CollabConvergence(
        type, this.threshold, metric, minQuorum, coordinator, threshold, direction);
  }
}
