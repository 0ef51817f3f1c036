package dev.jetmesh.worker.run;

import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.MetricScore;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the task's metric ({@code bash -c <metric>} in the worktree) came out: its process, its
 * score, and whether it passed. With a score and the task's {@code metric_threshold}, the score
 * decides (at least the threshold for {@code higher}, at most for {@code lower}), whatever the exit
 * code; otherwise the exit code does, as before scores. A metric that timed out, was stopped or
 * could not start never passes.
 *
 * @param process how the metric's process ended
 * @param output the file with its standard output, where the score is read from
 * @param errors the file with its standard error
 * @param timeout the configured metric timeout ({@code MESH_METRIC_TIMEOUT}), which a timed-out
 *     metric's note names (a task's budget may have cut the metric's own limit shorter)
 * @param stopped true when the run was stopped while or right after the metric ran
 * @param score what the output says ({@link MetricScores}), or null
 * @param threshold the task's {@code metric_threshold}, or null
 * @param direction the task's {@code metric_direction}; null reads as higher
 */
public record MetricCheck(
    ProcessResult process,
    Path output,
    Path errors,
    Duration timeout,
    boolean stopped,
    @Nullable BigDecimal score,
    @Nullable BigDecimal threshold,
    @Nullable MetricDirection direction) {

  /** Whether the metric passed, by its score against the threshold when both exist. */
  public boolean passed() {
    if (process.exitCode() == null || process.timedOut() || process.stopped()) {
      return false;
    }
    // decidedByScore(), spelled out so that the null checker sees both checks
    return (score != null && threshold != null)
        ? MetricDirection.orDefault(direction).meets(score, threshold)
        : process.succeeded();
  }

  /** Passed or not; null when it could not tell (the metric was stopped or could not start). */
  public @Nullable Boolean verdict() {
    return (process.stopped() || process.exitCode() == null) ? null : passed();
  }

  /** True when the score, not the exit code, says whether the metric passed. */
  public boolean decidedByScore() {
    return score != null && threshold != null;
  }

  /**
   * Why a failed metric failed, when its output cannot say: it ran out of time, it could not be
   * started, or its score missed the threshold. Empty otherwise; ends with a newline when it is to
   * be followed by the output.
   */
  public String failureNote() {
    if (process.timedOut()) {
      return "metric timed out after " + limitText(timeout) + "\n";
    }
    if (process.exitCode() == null) {
      return "metric could not be started: " + process.startError();
    }
    if (score != null && threshold != null && !passed()) {
      MetricDirection d = MetricDirection.orDefault(direction);
      return "score "
          + MetricScore.text(score)
          + " does not meet the threshold "
          + MetricScore.text(threshold)
          + " ("
          + d.wire()
          + " is better)\n";
    }
    return "";
  }

  /** Its standard output, then its standard error when there is any. */
  public String text() {
    String err = Outputs.read(errors);
    String out = Outputs.read(output);
    return err.isEmpty() ? out : out + (out.endsWith("\n") || out.isEmpty() ? "" : "\n") + err;
  }

  /** The last {@code chars} characters of {@link #text}. */
  public String outputTail(int chars) {
    return Outputs.tail(text(), chars);
  }

  private static String limitText(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
