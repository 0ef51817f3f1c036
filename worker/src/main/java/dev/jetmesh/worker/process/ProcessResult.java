package dev.jetmesh.worker.process;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a child process ended.
 *
 * @param exitCode the exit status, or null when the process could not be started
 * @param timedOut true when the timeout ran out and the tree was killed
 * @param stopped true when a {@link ProcessGuard} asked for it to be killed
 * @param startError why the process could not be started, or null
 * @param duration wall time from start to exit
 */
public record ProcessResult(
    @Nullable Integer exitCode,
    boolean timedOut,
    boolean stopped,
    @Nullable String startError,
    Duration duration) {

  /** True when the process ran to its own end with status 0. */
  public boolean succeeded() {
    return exitCode != null && exitCode == 0 && !timedOut && !stopped;
  }
}
