package dev.jetmesh.worker.node;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.mesh.NodeCommands;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the node's {@link HealthBeat} every interval on its own virtual thread, for as long as
 * the worker runs, busy or idle. The first beat goes out one interval after the start: the join
 * counts as the first sign of life, and a beat that arrives before the join is projected would be
 * dropped. A beat that cannot be sent is skipped (the next one says the same, fresher).
 * Thread-safe; {@link #close} stops the thread and waits for it.
 */
public final class HealthPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthPublisher.class);

  private final NodeCommands nodes;
  private final String nodeId;
  private final Duration interval;
  private final Supplier<HealthBeat> beats;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition closed = lock.newCondition();
  private boolean closing;
  private @Nullable Thread thread;

  private HealthPublisher(
      NodeCommands nodes, String nodeId, Duration interval, Supplier<HealthBeat> beats) {
    this.nodes = requireNonNull(nodes, "null nodes");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
    this.interval = requireNonNull(interval, "null interval");
    this.beats = requireNonNull(beats, "null beats");
  }

  /**
   * Starts publishing.
   *
   * @param beats makes each beat when it is due (called on the publisher's thread)
   */
  public static HealthPublisher start(
      NodeCommands nodes, String nodeId, Duration interval, Supplier<HealthBeat> beats) {
    HealthPublisher p = new HealthPublisher(nodes, nodeId, interval, beats);
    p.thread = Thread.ofVirtual().name("jetmesh-health-" + nodeId).start(p::loop);
    return p;
  }

  private void loop() {
    while (waitInterval()) {
      try {
        nodes.publishHealth(nodeId, beats.get());
      } catch (RuntimeException e) {
        log.debug("health beat of {} not sent: {}", nodeId, e.toString());
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
    Thread t = thread;
    if (t == null) {
      return; // never started
    }
    try {
      t.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
