package dev.jetmesh.orchestrator.projection;

/**
 * The wait between tries of a projection write that failed on a transient database error (Postgres
 * restarting, a connection lost): 100 ms, doubling up to 5 s. One policy for the batches, the
 * {@code event_log} writer and the indexes a rebuild left dropped. Not thread-safe: one per retry
 * loop.
 */
final class Backoff {
  private static final long FIRST_MILLIS = 100;
  private static final long MAX_MILLIS = 5_000;

  private long millis = FIRST_MILLIS;

  /** How long the next {@link #pause} waits. */
  long millis() {
    return millis;
  }

  /** Waits {@link #millis}, then doubles it for the next time; an interrupt ends the wait. */
  void pause() throws InterruptedException {
    Thread.sleep(millis);
    millis = Math.min(millis * 2, MAX_MILLIS);
  }
}
