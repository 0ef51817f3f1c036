package dev.jetmesh.worker.run;

import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the task's metric ({@code bash -c <metric>} in the worktree) came out.
 *
 * @param process how the metric's process ended
 * @param output the file with its output (stdout and stderr merged)
 * @param timeout the configured metric timeout ({@code MESH_METRIC_TIMEOUT}), which a timed-out
 *     metric's note names (a task's budget may have cut the metric's own limit shorter)
 * @param stopped true when the run was stopped while or right after the metric ran
 */
public record MetricCheck(ProcessResult process, Path output, Duration timeout, boolean stopped) {
  /** Exit status 0 within its time. */
  public boolean passed() {
    return process.succeeded();
  }

  /** Passed or not; null when it could not tell (the metric was stopped or could not start). */
  public @Nullable Boolean verdict() {
    return (process.stopped() || process.exitCode() == null) ? null : process.succeeded();
  }

  /**
   * Why a failed metric failed, when its output cannot say: it ran out of time, or it could not be
   * started. Empty otherwise; ends with a newline when it is to be followed by the output.
   */
  public String failureNote() {
    if (process.timedOut()) {
      return "metric timed out after " + limitText(timeout) + "\n";
    }
    return process.exitCode() == null ? "metric could not be started: " + process.startError() : "";
  }

  /** The last {@code chars} characters of its output. */
  public String outputTail(int chars) {
    return Outputs.tail(Outputs.read(output), chars);
  }

  private static String limitText(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
