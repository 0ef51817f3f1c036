package dev.jetmesh.orchestrator.projection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The highest stream sequence known to be projected into Postgres. Readers that must see their own
 * writes wait here, bounded, for the projector to pass a sequence. Thread-safe.
 */
public final class Watermark {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private volatile long seq;

  public long current() {
    return seq;
  }

  /** Raises the watermark; lower values are ignored. Called by the projector's threads. */
  public void advance(long to) {
    if (to <= seq) {
      return;
    }
    lock.lock();
    try {
      if (to > seq) {
        seq = to;
        advanced.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the watermark reaches {@code target} or {@code max} passes; true if reached. */
  public boolean awaitAtLeast(long target, Duration max) throws InterruptedException {
    if (seq >= target) {
      return true;
    }
    long nanos = max.toNanos();
    lock.lock();
    try {
      while (seq < target) {
        if (nanos <= 0) {
          return false;
        }
        nanos = advanced.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** For tests and metrics. */
  public boolean awaitAtLeast(long target, long amount, TimeUnit unit) throws InterruptedException {
    return awaitAtLeast(target, Duration.ofNanos(unit.toNanos(amount)));
  }
}
