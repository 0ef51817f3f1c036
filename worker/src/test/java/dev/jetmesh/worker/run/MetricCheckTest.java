package dev.jetmesh.worker.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.worker.process.ProcessResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Whether a metric passed: by its score against the task's threshold when both exist, whatever the
 * exit code; else by the exit code; never when it timed out, was stopped or could not start.
 */
class MetricCheckTest {
  private static final Path NONE = Path.of("/nonexistent/metric.out");

  private static ProcessResult exited(int code) {
    return new ProcessResult(code, false, false, null, Duration.ofMillis(5));
  }

  private static MetricCheck check(
      ProcessResult p, String score, String threshold, MetricDirection d) {
    return new MetricCheck(
        p,
        NONE,
        NONE,
        Duration.ofSeconds(60),
        false,
        score == null ? null : new BigDecimal(score),
        threshold == null ? null : new BigDecimal(threshold),
        d);
  }

  @Test
  void withAThreshold_theScoreDecides_higher() {
    assertThat(check(exited(0), "0.9", "0.9", MetricDirection.HIGHER).passed()).isTrue();
    assertThat(check(exited(0), "0.8999", "0.9", MetricDirection.HIGHER).passed()).isFalse();
    assertThat(check(exited(1), "0.95", "0.9", MetricDirection.HIGHER).passed())
        .as("a failing exit code with a score that meets the threshold passes")
        .isTrue();
    assertThat(check(exited(0), "0.95", "0.9", null).passed()).as("no direction: higher").isTrue();
  }

  @Test
  void withAThreshold_theScoreDecides_lower() {
    assertThat(check(exited(0), "120", "120", MetricDirection.LOWER).passed()).isTrue();
    assertThat(check(exited(0), "120.5", "120", MetricDirection.LOWER).passed()).isFalse();
    MetricCheck missed = check(exited(0), "130", "120", MetricDirection.LOWER);
    assertThat(missed.verdict()).isFalse();
    assertThat(missed.failureNote())
        .isEqualTo("score 130 does not meet the threshold 120 (lower is better)\n");
  }

  @Test
  void withoutAScore_orWithoutAThreshold_theExitCodeDecides() {
    assertThat(check(exited(0), null, "0.9", MetricDirection.HIGHER).passed()).isTrue();
    assertThat(check(exited(2), null, "0.9", MetricDirection.HIGHER).passed()).isFalse();
    assertThat(check(exited(2), "0.99", null, null).passed()).isFalse();
    assertThat(check(exited(0), "0.01", null, null).passed()).isTrue();
    assertThat(check(exited(0), "0.01", null, null).decidedByScore()).isFalse();
  }

  @Test
  void aTimedOutOrUnstartedMetric_neverPasses_whateverItPrinted() {
    ProcessResult timedOut = new ProcessResult(137, true, false, null, Duration.ofSeconds(60));
    assertThat(check(timedOut, "0.99", "0.9", MetricDirection.HIGHER).passed()).isFalse();
    ProcessResult notStarted = new ProcessResult(null, false, false, "no bash", Duration.ZERO);
    MetricCheck c = check(notStarted, null, "0.9", MetricDirection.HIGHER);
    assertThat(c.passed()).isFalse();
    assertThat(c.verdict()).isNull();
    ProcessResult stopped = new ProcessResult(143, false, true, null, Duration.ofSeconds(1));
    assertThat(check(stopped, "0.99", "0.9", MetricDirection.HIGHER).verdict()).isNull();
  }
}
