package dev.jetmesh.orchestrator.projection;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The highest stream sequence known to be projected into Postgres. Readers that must see their own
 * writes wait here, bounded, for the projector to pass a sequence, and the projector's fetcher sees
 * that they wait and stops lingering for them ({@link ReaderDemand}). Followers of whatever comes
 * next wait here too, without that ({@link #awaitPast}). Thread-safe.
 */
public final class Watermark {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private final ReaderDemand demand = new ReaderDemand();
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

  /**
   * Waits until the watermark reaches {@code target} or {@code max} passes; true if reached. For a
   * reader that waits for a write it knows of (its own, or one it was told of): the projector's
   * fetcher stops lingering for it.
   */
  public boolean awaitAtLeast(long target, Duration max) throws InterruptedException {
    return await(target, max, true);
  }

  /**
   * Waits until the watermark passes {@code position} or {@code max} passes; true if it did. For a
   * follower that waits for whatever comes next (the event stream): it does not hurry the
   * projector, or an open stream would end every linger.
   */
  public boolean awaitPast(long position, Duration max) throws InterruptedException {
    return await(position + 1, max, false);
  }

  private boolean await(long target, Duration max, boolean hurry) throws InterruptedException {
    if (seq >= target) {
      return true;
    }
    if (hurry) {
      demand.want(target);
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

  /**
   * Waits until a reader of this process waits for a sequence above {@code fetched}, or {@code max}
   * passes; true if one does. The projector's fetcher lingers here ({@link ReaderDemand}).
   */
  boolean awaitReaderBeyond(long fetched, Duration max) throws InterruptedException {
    return demand.awaitBeyond(fetched, max);
  }

  /** For tests and metrics. */
  public boolean awaitAtLeast(long target, long amount, TimeUnit unit) throws InterruptedException {
    return awaitAtLeast(target, Duration.ofNanos(unit.toNanos(amount)));
  }
}
