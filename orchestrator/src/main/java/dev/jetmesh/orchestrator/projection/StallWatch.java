package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.store.EventFeed;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the projector when its consumer holds back an event the stream has. A delivery lost on the
 * way (the connection dropped with it on the wire) is not seen again until the consumer's ack wait
 * (30 s); when newer events follow, the next batch skips past it (a gap, and the projector
 * repositions), but when none follow, nothing shows it. So when no batch has come for a while and
 * everything handed over is written, it asks the stream for the first event after the last one
 * seen, every {@value #CHECK_MILLIS} ms; an event that is there at two checks in a row, with
 * nothing delivered between them, is held back (one that was only on its way would have arrived).
 * Projector thread only; one per run of its loop.
 */
final class StallWatch {
  static final int CHECK_MILLIS = 1_500;
  private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS);
  private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

  private final EventFeed feed;
  private final Watermark watermark;
  private long lastSeen;
  private long quietSince;
  private long pending = -1;

  /** For a consumer positioned after {@code after}, at {@code now} (nanoTime). */
  StallWatch(EventFeed feed, Watermark watermark, long after, long now) {
    this.feed = feed;
    this.watermark = watermark;
    this.lastSeen = after;
    this.quietSince = now;
  }

  /** A batch whose last event is {@code seq} was applied at {@code now}. */
  void delivered(long seq, long now) {
    lastSeen = Math.max(lastSeen, seq);
    quietSince = now;
    pending = -1;
  }

  /**
   * Whether the consumer holds back an event the stream has (then {@link #next} names it); asks the
   * stream at most once per {@value #CHECK_MILLIS} ms of quiet.
   */
  boolean stalled(long now) {
    if (now - quietSince < CHECK_NANOS) {
      return false;
    }
    quietSince = now;
    if (watermark.current() < lastSeen) {
      pending = -1;
      return false; // still writing what it was handed (Postgres slow or down): not a stall
    }
    long first;
    try {
      first = feed.firstEventFrom(lastSeen + 1);
    } catch (RuntimeException e) {
      LOG.debug("cannot ask the stream for event {}: {}", lastSeen + 1, e.toString());
      pending = -1;
      return false; // NATS unreachable or closing: the fetcher retries, and this asks again later
    }
    boolean again = first > 0 && first == pending;
    pending = first;
    return again;
  }

  /** The event held back, once {@link #stalled} said so. */
  long next() {
    return pending;
  }
}
