package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One attempt at a task. The first four fields are the reference's {@code {approach, result, keep,
 * timestamp}}; the rest are jetmesh's additions and may be null when a client does not send them
 * (the reference agent sends none of them). {@code keep} is never null: absent means false.
 *
 * @param metricPassed whether the task's metric passed (by its score against the task's threshold
 *     when both exist, else by its exit code); null when no metric ran
 * @param metricScore the number the metric printed (docs/worker.md, "Metric scores"); null when it
 *     printed none, when no metric ran, and in attempts recorded before scores existed
 * @param costUsd what the attempt cost as its provider reported it; null when unknown, never 0 for
 *     unknown
 */
public record Attempt(
    String approach,
    String result,
    Boolean keep,
    @Nullable Instant timestamp,
    @Nullable Integer attempt,
    @Nullable String nodeId,
    @Nullable String provider,
    @Nullable String model,
    @Nullable Integer exitCode,
    @Nullable Boolean metricPassed,
    @Nullable BigDecimal metricScore,
    @Nullable Long durationMs,
    @Nullable BigDecimal costUsd,
    @Nullable JsonNode tokens,
    @Nullable OutputRef output) {

  public Attempt {
    keep = Boolean.TRUE.equals(keep); // the reference treats an absent keep as false
    tokens = TaskSpec.jsonOrNull(tokens);
  }

  /** The same attempt stamped with {@code at} (the time it was recorded). */
  public Attempt withTimestamp(Instant at) {
    return new Attempt(
        approach,
        result,
        keep,
        at,
        attempt,
        nodeId,
        provider,
        model,
        exitCode,
        metricPassed,
        metricScore,
        durationMs,
        costUsd,
        tokens,
        output);
  }

  /** True when both describe the same outcome, ignoring when they were recorded. */
  public boolean sameOutcome(Attempt other) {
    return java.util.Objects.equals(approach, other.approach)
        && java.util.Objects.equals(result, other.result)
        && keep.equals(other.keep);
  }
}
