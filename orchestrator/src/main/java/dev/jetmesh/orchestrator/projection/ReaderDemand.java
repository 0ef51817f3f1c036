package dev.jetmesh.orchestrator.projection;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The highest stream sequence a reader of this process has waited for, and a wait for a reader to
 * want one: the projector's fetcher lingers here ({@link Batching}), since holding back what a
 * reader waits for only makes the reader wait longer. Only readers of the process that projects end
 * its linger: another orchestrator's readers wait on a watermark of their own. Thread-safe.
 */
final class ReaderDemand {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition raised = lock.newCondition();

  /** Only rises, as the stream does. */
  private volatile long wanted;

  /** A reader waits for {@code seq}. */
  void want(long seq) {
    if (seq <= wanted) {
      return;
    }
    lock.lock();
    try {
      if (seq > wanted) {
        wanted = seq;
        raised.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a reader wants a sequence above {@code fetched}, or {@code max} passes; true if one
   * does.
   */
  boolean awaitBeyond(long fetched, Duration max) throws InterruptedException {
    if (wanted > fetched) {
      return true;
    }
    long nanos = max.toNanos();
    lock.lock();
    try {
      while (wanted <= fetched) {
        if (nanos <= 0) {
          return false;
        }
        nanos = raised.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
