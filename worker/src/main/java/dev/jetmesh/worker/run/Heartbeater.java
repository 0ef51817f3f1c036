package dev.jetmesh.worker.run;

import dev.jetmesh.worker.mesh.Heartbeat;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code mesh.tasks.heartbeat} every interval on its own virtual thread while a task runs. A
 * refused heartbeat means the task is no longer this node's: the run is stopped. A heartbeat that
 * gets no answer is only logged. Thread-safe; {@link #close} stops the thread and waits for it.
 */
public final class Heartbeater implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

  private final TaskCommands commands;
  private final TaskControl control;
  private final String nodeId;
  private final Duration interval;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closed = lock.newCondition();
  private boolean closing;
  private @Nullable Thread thread;

  private final boolean stopOnRefusal;

  private Heartbeater(
      TaskCommands commands,
      TaskControl control,
      String nodeId,
      Duration interval,
      boolean stopOnRefusal) {
    this.stopOnRefusal = stopOnRefusal;
    this.commands = commands;
    this.control = control;
    this.nodeId = nodeId;
    this.interval = interval;
  }

  public static Heartbeater start(
      TaskCommands commands, TaskControl control, String nodeId, Duration interval) {
    return start(commands, control, nodeId, interval, true);
  }

  /**
   * Starts sending heartbeats for {@code control}'s task every {@code interval}.
   *
   * @param stopOnRefusal whether a refused heartbeat stops the run as a lost claim. A collaboration
   *     owner passes false: its task is settled by the session, so a refusal right after the
   *     session ended is expected, and the session's status (not the heartbeat) decides whether its
   *     work is merged.
   */
  public static Heartbeater start(
      TaskCommands commands,
      TaskControl control,
      String nodeId,
      Duration interval,
      boolean stopOnRefusal) {
    Heartbeater h = new Heartbeater(commands, control, nodeId, interval, stopOnRefusal);
    h.thread = Thread.ofVirtual().name("jetmesh-heartbeat-" + control.taskId()).start(h::loop);
    return h;
  }

  private void loop() {
    while (waitInterval()) {
      if (control.stopRequested()) {
        return;
      }
      try {
        commands.heartbeat(
            new Heartbeat(control.taskId(), nodeId, control.claimToken(), control.activity()));
      } catch (RejectedException e) {
        log.warn(
            "heartbeat for {} refused ({}): the task is no longer ours",
            control.taskId(),
            e.getMessage());
        if (stopOnRefusal) {
          control.stop(StopReason.ofRefusal(e.code()));
        }
        return;
      } catch (UnavailableException e) {
        log.warn("heartbeat for {} got no answer: {}", control.taskId(), e.getMessage());
      }
    }
  }

  /** Waits one interval; false once closed. */
  private boolean waitInterval() {
    long left = interval.toNanos();
    lock.lock();
    try {
      while (!closing && left > 0) {
        left = closed.awaitNanos(left);
      }
      return !closing;
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      closed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      Objects.requireNonNull(thread, "not started").join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
