package dev.jetmesh.worker.claim;

import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The run this node is working on, if any: set by the claim loop's thread while it works a task or
 * a session, read by the alive check and stopped by notices and shutdown on other threads.
 * Thread-safe.
 */
public final class CurrentTask {
  private final AtomicReference<@Nullable TaskControl> current = new AtomicReference<>();

  /** The task being worked on; what the alive check answers. */
  public Optional<String> taskId() {
    TaskControl c = current.get();
    return c == null ? Optional.empty() : Optional.of(c.taskId());
  }

  /** Stops the current run, if any. */
  public void stop(StopReason why) {
    TaskControl c = current.get();
    if (c != null) {
      c.stop(why);
    }
  }

  /** Stops the current run if it is {@code taskId}'s: a notice about an older task is ignored. */
  public void stop(String taskId, StopReason why) {
    TaskControl c = current.get();
    if (c != null && c.taskId().equals(taskId)) {
      c.stop(why);
    }
  }

  /** Runs {@code work} as the current run; cleared afterwards whatever happened. */
  void during(TaskControl control, Runnable work) {
    current.set(control);
    try {
      work.run();
    } finally {
      // Cleared whatever happened, so that the alive check never reports a task we dropped.
      current.set(null);
    }
  }
}
