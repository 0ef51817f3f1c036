package dev.jetmesh.orchestrator.projection;

import java.time.Duration;

/**
 * How the projector groups events into transactions.
 *
 * @param size {@code MESH_PROJECTOR_BATCH}: at most this many events per fetch and per transaction
 * @param linger {@code MESH_PROJECTOR_LINGER_MS}: after a fetch that brought events but not a full
 *     batch, wait this long before fetching again, so that the next transaction carries what
 *     arrived meanwhile. Each transaction costs the same fixed work (two commits, checkpoints, a
 *     fetch, an acknowledgement) whatever its size; under the end-to-end load, transactions of a
 *     few events each took half of Postgres's CPU and a quarter of the orchestrator's. A fetch of
 *     one event waits too: under a moderate load events arrive one at a time, and a transaction per
 *     event ran beside the request its command's client sent next, adding about a millisecond to
 *     the median paced claim. What was fetched is never held back, so the first event after a quiet
 *     spell is applied at once. A full batch (catching up, a rebuild) fetches again at once; zero
 *     never waits; and a reader waiting for an event not fetched yet ends the wait ({@link
 *     Watermark#awaitReaderBeyond}).
 */
public record Batching(int size, Duration linger) {
  public Batching {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be at least 1: " + size);
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative: " + linger);
    }
  }

  /** Batches of {@code size} without lingering: a rebuild, whose batches are full anyway. */
  public static Batching of(int size) {
    return new Batching(size, Duration.ZERO);
  }

  /** Whether to wait {@link #linger} after a fetch of {@code fetched} events. */
  boolean lingersAfter(int fetched) {
    return fetched > 0 && fetched < size && !linger.isZero();
  }
}
