package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.projection.Watermark;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The next {@value #SIZE} claimable tasks as the read model last listed them, for claims made
 * without the claim index (a standby, a halted projector): one index range scan serves many claims.
 * It is refilled in the background when it runs low or is older than {@value #MAX_AGE_MS} ms, and a
 * claim waits for the database only when nothing buffered is usable or the buffer is twice that old
 * (an idle mesh). Its age bounds how long a newly submitted higher-priority task can wait behind
 * buffered ones: {@value #MAX_AGE_MS} ms plus a query under load, twice that at most.
 *
 * <p>Every method but the background refill runs under the claim service's selection lock, which
 * the refill takes to replace the contents.
 */
final class ClaimBuffer {
  static final int SIZE = 64;
  static final long MAX_AGE_MS = 100;
  private static final int LOW = SIZE / 4;

  private final TaskQueries queries;
  private final Reservations reserved;
  private final Watermark watermark;
  private final ReentrantLock lock;
  private final ArrayDeque<TaskQueries.Candidate> buffer = new ArrayDeque<>();
  private long bufferedAt;

  /** The watermark before the query that filled the buffer: what it is known to reflect. */
  private long reflects;

  private boolean refilling;

  ClaimBuffer(TaskQueries queries, Reservations reserved, Watermark watermark, ReentrantLock lock) {
    this.queries = queries;
    this.reserved = reserved;
    this.watermark = watermark;
    this.lock = lock;
  }

  /** The stream sequence the buffer's contents are known to reflect. */
  long reflects() {
    return reflects;
  }

  boolean isEmpty() {
    return buffer.isEmpty();
  }

  /**
   * Takes and reserves the first buffered task that {@code node} may have, refilling first when the
   * buffer is too old or has none; tasks in {@code skip} (passed over by this claim) stay buffered
   * for other nodes.
   */
  Optional<String> take(String node, Set<String> skip) {
    if (age() > 2 * MAX_AGE_MS) {
      refillNow(); // not refreshed in the background lately (an idle mesh): too old to use
    }
    Optional<String> next = first(node, skip);
    if (next.isEmpty()) {
      // Nothing usable buffered: wait for the database this once.
      refillNow();
      next = first(node, skip);
    }
    if (buffer.size() < LOW || age() > MAX_AGE_MS) {
      refillInBackground();
    }
    return next;
  }

  private Optional<String> first(String node, Set<String> skip) {
    for (Iterator<TaskQueries.Candidate> it = buffer.iterator(); it.hasNext(); ) {
      TaskQueries.Candidate c = it.next();
      if (reserved.contains(c.taskId())) {
        it.remove();
      } else if (!skip.contains(c.taskId()) && !c.excludeNodes().contains(node)) {
        it.remove();
        reserved.tryReserve(c.taskId());
        return Optional.of(c.taskId());
      }
    }
    return Optional.empty();
  }

  private long age() {
    return System.currentTimeMillis() - bufferedAt;
  }

  private void refillNow() {
    long before = watermark.current();
    replace(queries.claimable(SIZE, reserved.ids()), before);
  }

  /** Starts one background refill, unless one runs. */
  private void refillInBackground() {
    if (refilling) {
      return;
    }
    refilling = true;
    Thread.ofVirtual()
        .name("claim-buffer")
        .start(
            () -> {
              List<TaskQueries.Candidate> fresh = null;
              long before = watermark.current();
              try {
                fresh = queries.claimable(SIZE, reserved.ids());
              } catch (RuntimeException e) {
                // The next claim that finds the buffer empty queries again, and reports the error.
              } finally {
                lock.lock();
                try {
                  refilling = false;
                  if (fresh != null) {
                    replace(fresh, before);
                  }
                } finally {
                  lock.unlock();
                }
              }
            });
  }

  private void replace(List<TaskQueries.Candidate> fresh, long reflected) {
    buffer.clear();
    for (TaskQueries.Candidate c : fresh) {
      if (!reserved.contains(c.taskId())) {
        buffer.add(c);
      }
    }
    bufferedAt = System.currentTimeMillis();
    reflects = reflected;
  }
}
