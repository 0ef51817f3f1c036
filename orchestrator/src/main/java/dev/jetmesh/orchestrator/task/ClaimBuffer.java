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
 * claim waits for it only when nothing is buffered or the buffer is twice that old (an idle mesh);
 * when nothing buffered is for its node, it asks the read model for the next task (one query). Its
 * age bounds how long a newly submitted higher-priority task can wait behind buffered ones: {@value
 * #MAX_AGE_MS} ms plus a query under load, twice that at most.
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
   * Reserves the first buffered task that {@code node} may have, refilling first when the buffer is
   * too old or empty. Empty when every buffered task is in flight, excludes the node or is in
   * {@code skip} (passed over by this claim): the caller then asks the read model for the next one.
   *
   * <p>A task stays buffered while its claim is in flight, and leaves once that claim is decided: a
   * claim that passes it over releases it, and the next node finds it here at once.
   */
  Optional<String> take(String node, Set<String> skip) {
    if (age() > 2 * MAX_AGE_MS) {
      refillNow(); // not refreshed in the background lately (an idle mesh): too old to use
    }
    Optional<String> next = first(node, skip);
    if (next.isEmpty() && buffer.isEmpty()) {
      // Nothing buffered at all: wait for the database this once.
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
      String id = c.taskId();
      if (reserved.decided(id)) {
        it.remove();
      } else if (!skip.contains(id)
          && !c.excludeNodes().contains(node)
          && reserved.tryReserve(id)) { // fails while another claim has it in flight
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  private long age() {
    return System.currentTimeMillis() - bufferedAt;
  }

  private void refillNow() {
    long before = watermark.current();
    replace(queries.claimable(SIZE, reserved.decidedIds()), before);
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
                fresh = queries.claimable(SIZE, reserved.decidedIds());
              } catch (RuntimeException e) {
                // The next claim that finds the buffer empty queries again, and reports the error.
              } finally {
                lock.lock();
                try {
                  refilling = false;
                  // A refill now, made while this one ran, knows more: keep it.
                  if (fresh != null && before >= reflects) {
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
      if (!reserved.decided(c.taskId())) {
        buffer.add(c); // one in flight stays: its claim may pass it over
      }
    }
    bufferedAt = System.currentTimeMillis();
    reflects = reflected;
  }
}
