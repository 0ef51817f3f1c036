package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Holds claims back until the projector has reached the stream's last sequence as of the moment the
 * claim index went live. The index starts from the read model's checkpoint, which may lag the
 * stream: a claim appended by a process that crashed before it replied is in the stream but not yet
 * in the index, and a claim decided before the projector got there would give the retrying node a
 * second task (found by the fault suite, docs/faults.md). Thread-safe.
 */
final class ClaimCatchUp {
  /** How long a claim waits before the client is told to try again. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Watermark watermark;
  private volatile long target;

  ClaimCatchUp(ClaimIndex index, Watermark watermark, LongSupplier streamTail) {
    this.watermark = watermark;
    index.onLive(
        live -> {
          if (live) {
            try {
              target = streamTail.getAsLong();
            } catch (RuntimeException e) {
              target = 0; // unknown: claims go on from the index as it is
            }
          }
        });
  }

  /**
   * Returns once the projector reached the target.
   *
   * @throws MeshException {@code UNAVAILABLE} when it has not within {@link #WAIT}
   */
  void await() {
    long t = target;
    if (watermark.current() >= t) {
      return;
    }
    try {
      if (watermark.awaitAtLeast(t, WAIT)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new MeshException(ErrorCode.UNAVAILABLE, "Catching up with the event stream, try again");
  }
}
