package dev.jetmesh.worker.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.OutputRef;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt came to, and everything its report carries.
 *
 * @param kind how it ended
 * @param attempt 1-based number
 * @param provider the provider's name
 * @param model the model, or null when the provider picks
 * @param approach the reference's approach text, {@code "Attempt n: ..."}
 * @param result the reference's result text (an output tail)
 * @param keep true when the attempt's work is kept
 * @param exitCode the provider's exit status, null when it did not exit on its own
 * @param metricPassed null when no metric ran
 * @param metricScore the score the metric printed, or null (none printed, or no metric ran)
 * @param durationMs wall time of the provider run plus the metric
 * @param costUsd what the provider reported it cost, or null
 * @param tokens the provider's token usage, or null
 * @param output where the full transcript was kept, or null
 * @param text the provider's answer text (for summaries)
 */
record AttemptOutcome(
    Kind kind,
    int attempt,
    String provider,
    @Nullable String model,
    String approach,
    String result,
    boolean keep,
    @Nullable Integer exitCode,
    @Nullable Boolean metricPassed,
    @Nullable BigDecimal metricScore,
    long durationMs,
    @Nullable BigDecimal costUsd,
    @Nullable JsonNode tokens,
    @Nullable OutputRef output,
    String text) {

  /** How an attempt ended; decides what the loop does next. */
  enum Kind {
    SUCCEEDED,
    PROVIDER_FAILED,
    METRIC_FAILED,
    OUT_OF_BUDGET,
    STOPPED
  }
}
