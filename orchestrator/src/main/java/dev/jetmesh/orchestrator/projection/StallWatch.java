package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.store.EventStoreException;
import java.util.concurrent.TimeUnit;

/**
 * Tells the projector when its consumer holds back an event the stream has. A pull that ended while
 * its messages were on the way leaves them delivered to nobody; when newer events follow, the next
 * batch skips past them (a gap, and the projector repositions), but when none follow, nothing shows
 * it, and they would come again only after the consumer's ack wait (30 s). So after {@value
 * #QUIET_SECONDS} s without a batch, with everything handed over already written, it asks the
 * stream for the event after the last one seen. Projector thread only; one per run of its loop.
 */
final class StallWatch {
  static final int QUIET_SECONDS = 3;

  /** The consumer holds back event {@link #next}, which the stream has: reposition it. */
  static final class Stalled extends RuntimeException {
    final long next;

    Stalled(long next) {
      super(null, null, false, false); // control flow: no stack trace
      this.next = next;
    }
  }

  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(QUIET_SECONDS);

  private final EventFeed feed;
  private final Watermark watermark;
  private long lastSeen;
  private long quietSince;

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
  }

  /**
   * Whether the consumer has held back the event after the last one seen for {@value
   * #QUIET_SECONDS} s, although the stream has it; asks the stream at most once per that time.
   */
  boolean stalled(long now) {
    if (now - quietSince < QUIET_NANOS) {
      return false;
    }
    quietSince = now;
    if (watermark.current() < lastSeen) {
      return false; // still writing what it was handed (Postgres slow or down): not a stall
    }
    try {
      return feed.holds(lastSeen + 1);
    } catch (EventStoreException e) {
      return false; // NATS unreachable: the fetcher retries, and this asks again later
    }
  }

  long lastSeen() {
    return lastSeen;
  }
}
