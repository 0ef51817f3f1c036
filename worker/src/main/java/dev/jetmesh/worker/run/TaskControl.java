package dev.jetmesh.worker.run;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.process.ProcessGuard;
import dev.jetmesh.worker.process.ProcessTrees;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handle on one running task that other threads use: the alive check reads its id, a notice or
 * a shutdown {@link #stop stops} it (killing the current child's process tree and waking any
 * backoff), the heartbeat reads its activity. Thread-safe; the first stop reason wins.
 */
public final class TaskControl implements ProcessGuard {
  private static final Logger log = LoggerFactory.getLogger(TaskControl.class);

  private final String taskId;
  private final @Nullable Long claimToken;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopped = lock.newCondition();
  private @Nullable Process process;
  private @Nullable StopReason reason;
  private volatile String activity = "starting";

  public TaskControl(String taskId, @Nullable Long claimToken) {
    this.taskId = requireNonNull(taskId, "null taskId");
    this.claimToken = claimToken;
  }

  public String taskId() {
    return taskId;
  }

  /** The claim's fencing token, or null when the orchestrator gave none. */
  public @Nullable Long claimToken() {
    return claimToken;
  }

  /** What the run is doing now, for heartbeats. */
  public String activity() {
    return activity;
  }

  public void activity(String activity) {
    this.activity = activity;
  }

  /**
   * Stops the run: kills the current child's tree and wakes a sleeping loop. Returns false when it
   * had already been stopped (the first reason is kept).
   */
  public boolean stop(StopReason why) {
    lock.lock();
    try {
      if (reason != null) {
        return false;
      }
      reason = why;
      log.warn("stopping task {}: {}", taskId, why);
      if (process != null) {
        ProcessTrees.kill(process.toHandle());
      }
      stopped.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Why the run was stopped, if it was. */
  public Optional<StopReason> stopReason() {
    lock.lock();
    try {
      return Optional.ofNullable(reason);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sleeps for {@code d} unless the run is stopped first. Returns true when stopped. An interrupt
   * ends the sleep early and is re-asserted.
   */
  public boolean sleep(Duration d) {
    long left = d.toNanos();
    lock.lock();
    try {
      while (reason == null && left > 0) {
        left = stopped.awaitNanos(left);
      }
      return reason != null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reason != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void attach(Process p) {
    lock.lock();
    try {
      process = p;
      if (reason != null) {
        ProcessTrees.kill(p.toHandle());
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // identity: only the process still attached is cleared
  public void detach(Process p) {
    lock.lock();
    try {
      if (process == p) {
        process = null;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean stopRequested() {
    return stopReason().isPresent();
  }
}
