package dev.jetmesh.orchestrator.task;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * The tasks this process has just claimed or is claiming, kept out of claim selection until the
 * claim index or read model shows what happened to them. Each is held until a stream sequence: once
 * the index reflects that sequence it no longer offers the task, and the reservation goes.
 *
 * <p>Released in sequence order from a heap, so that a purge costs the reservations it releases. It
 * used to be a scan of every reservation on every claim: under load the index lags by hundreds of
 * claims, and that scan was a quarter of the claim's CPU in profiles. Thread-safe.
 */
final class Reservations {
  /** Held while the claim is being decided: never released by a purge. */
  private static final long IN_FLIGHT = Long.MAX_VALUE;

  private record Until(long seq, String taskId) {}

  /** task id → the sequence it is held until (or {@link #IN_FLIGHT}). */
  private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();

  /** Every hold with a sequence, the lowest first; a stale one is skipped when it comes up. */
  private final PriorityBlockingQueue<Until> bySeq =
      new PriorityBlockingQueue<>(64, Comparator.comparingLong(Until::seq));

  /** Reserves {@code taskId} while its claim is decided; false when it is reserved already. */
  boolean tryReserve(String taskId) {
    return held.putIfAbsent(taskId, IN_FLIGHT) == null;
  }

  /** Holds {@code taskId} (reserved or not) until the index reflects sequence {@code seq}. */
  void holdUntil(String taskId, long seq) {
    held.put(taskId, seq);
    bySeq.add(new Until(seq, taskId));
  }

  /** Releases {@code taskId} now (its claim failed before anything was appended). */
  void release(String taskId) {
    held.remove(taskId);
  }

  /** Releases every hold until a sequence at or below {@code reflected}. */
  synchronized void purge(long reflected) {
    for (Until head = bySeq.peek(); head != null && head.seq() <= reflected; head = bySeq.peek()) {
      // Only purges take from the heap, one at a time, and a hold added meanwhile can only put a
      // lower sequence first: what this takes is at or below the head seen, so due too.
      Until due = bySeq.poll();
      if (due != null) {
        // Only this hold: the task may have been held again since, until a later sequence.
        held.remove(due.taskId(), due.seq());
      }
    }
  }

  boolean contains(String taskId) {
    return held.containsKey(taskId);
  }

  /** The reserved task ids, a live view. */
  Set<String> ids() {
    return held.keySet();
  }

  /** Whether {@code taskId} is held until a sequence: decided here, not yet reflected. */
  boolean decided(String taskId) {
    Long until = held.get(taskId);
    return until != null && until != IN_FLIGHT;
  }

  /**
   * The ids held until a sequence: claimed (or otherwise decided) and not yet reflected. A task
   * only in flight is not among them: its claim may still pass it over.
   */
  Set<String> decidedIds() {
    Set<String> ids = new HashSet<>();
    held.forEach(
        (id, until) -> {
          if (until != IN_FLIGHT) {
            ids.add(id);
          }
        });
    return ids;
  }

  int size() {
    return held.size();
  }
}
