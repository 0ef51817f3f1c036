package dev.jetmesh.orchestrator.store;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projector's view of the stream: one durable pull consumer over {@code mesh.evt.>}, always
 * positioned afresh where the read model says, fetched in batches and acknowledged cumulatively
 * ({@code AckPolicy.All}). Not thread-safe: one fetching thread; {@link Delivery#ack} and {@link
 * #firstEventFrom} from any.
 */
public final class EventFeed {
  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  private final Connection nc;
  private final String stream;
  private final String durable;

  /** The most events one fetch may ask for ({@code MESH_PROJECTOR_BATCH}'s upper bound). */
  public static final int MAX_BATCH = 10_000;

  /** Pulls the server keeps open on the consumer at once; see {@link #consumer}. */
  static final int MAX_WAITING = 4;

  public EventFeed(Connection nc, String stream, String durable) {
    this.nc = requireNonNull(nc, "null connection");
    this.stream = requireNonNull(stream, "null stream");
    this.durable = requireNonNull(durable, "null durable");
  }

  public String stream() {
    return stream;
  }

  /** The stream's last sequence. */
  public long lastSequence() {
    try {
      return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
    } catch (IOException | JetStreamApiException e) {
      throw new EventStoreException("cannot read stream " + stream + ": " + e.getMessage(), e);
    }
  }

  /**
   * The sequence of the first event the stream holds at or after {@code seq}, or -1 if none: what
   * the consumer has to deliver next. Any thread (this asks the server; it touches no state).
   */
  public long firstEventFrom(long seq) {
    try {
      return nc.jetStreamManagement().getNextMessage(stream, seq, Subjects.EVENTS_ALL).getSeq();
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() == 404) {
        return -1;
      }
      throw new EventStoreException("cannot read stream " + stream + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new EventStoreException("cannot read stream " + stream + ": " + e.getMessage(), e);
    }
  }

  /**
   * The projector's consumer: durable, over every event, acknowledged cumulatively, positioned
   * after {@code after} (0: from the start). Public so that the benchmark's raw baseline reads the
   * stream exactly as the projector does.
   */
  public static ConsumerConfiguration consumer(String durable, long after) {
    ConsumerConfiguration.Builder cc =
        ConsumerConfiguration.builder()
            .durable(durable)
            .filterSubject(Subjects.EVENTS_ALL)
            .ackPolicy(AckPolicy.All)
            .ackWait(Duration.ofSeconds(30))
            .maxAckPending(100_000)
            .maxBatch(MAX_BATCH)
            // A busy projector's no-wait pulls are answered at once; on a quiet mesh one waits
            // for the next event. More pile up only while the server stalls or the connection is
            // down (a fetch a second, sent on reconnect), and each would then deliver a batch
            // into the client at once.
            // The server refuses pulls past these (409, which the client swallows); the rest
            // is for a reader beside it, such as an operator's one-off pull.
            .maxPullWaiting(MAX_WAITING);
    if (after == 0) {
      cc.deliverPolicy(DeliverPolicy.All);
    } else {
      cc.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(after + 1);
    }
    return cc.build();
  }

  /**
   * Positions the durable consumer to deliver from {@code after + 1}. An existing consumer is
   * always deleted first: reusing it after a crash would deliver newer events before the
   * unacknowledged older ones come back (after the ack wait), which would look like a gap; and a
   * consumer acknowledged past {@code after} (the database was restored) would skip events.
   */
  public Subscription open(long after) {
    try {
      JetStreamManagement jsm = nc.jetStreamManagement();
      ConsumerInfo existing = null;
      try {
        existing = jsm.getConsumerInfo(stream, durable);
      } catch (JetStreamApiException e) {
        if (e.getErrorCode() != 404) {
          throw e;
        }
      }
      if (existing != null) {
        LOG.info(
            "repositioning consumer {} (ack floor {}) at {} + 1",
            durable,
            existing.getAckFloor() == null ? 0 : existing.getAckFloor().getStreamSequence(),
            after);
        jsm.deleteConsumer(stream, durable);
      }
      nc.getStreamContext(stream).createOrUpdateConsumer(consumer(durable, after));
      return new Subscription(
          nc.jetStream()
              .subscribe(Subjects.EVENTS_ALL, PullSubscribeOptions.fastBind(stream, durable)));
    } catch (IOException | JetStreamApiException e) {
      // NATS drops a request its user may not publish, so a missing permission looks like a
      // timeout: say so, or the reader goes looking for a server that is down.
      throw new EventStoreException(
          "cannot position consumer "
              + durable
              + " on stream "
              + stream
              + ": "
              + e.getMessage()
              + " (a NATS user without permission for this consumer gets no answer either: the"
              + " projector's consumer needs the orchestrator's user)",
          e);
    }
  }

  /**
   * Deletes the durable consumer, if there is one: for a consumer used once (a rebuild's), which
   * would otherwise stay on the server. Best effort: a failure is logged.
   */
  public void remove() {
    try {
      nc.jetStreamManagement().deleteConsumer(stream, durable);
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != 404) {
        LOG.warn("cannot delete consumer {}: {}", durable, e.getMessage());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot delete consumer {}: {}", durable, e.toString());
    }
  }

  /**
   * A positioned consumer, read through one subscription that stays open until {@link #close}. Each
   * fetch asks the server for a batch of what it has (a no-wait pull: it waits up to a second for
   * the first event, then ends with what the stream held at that moment, so the events of a busy
   * mesh come a batch at a time rather than each as it is stored), then takes what has arrived. It
   * used to be the same pull on a subscription of its own, closed when the fetch returned: a fetch
   * that gave up while its messages were still on the way (the process, or nats-server, starved of
   * CPU for a second) left them delivered to nobody, and the projector repositioned the consumer to
   * get them back. Here a late message waits in the open subscription for the next fetch, and a
   * pull that is still delivering when the next fetch pulls only adds to what waits there. Pulls
   * are made only by fetches, so while the fetcher waits for the projector to take what it has
   * fetched, nothing more is asked for (the client's own consume loop pulls again as messages
   * arrive, whether or not they are taken, and would have buffered the whole stream during a
   * catch-up); after a stall, at most {@link #MAX_WAITING} batches come at once. A status answering
   * an earlier pull (it expired, or found nothing) ends a fetch early, with what had arrived: the
   * rest stays for the next. Not thread-safe: one fetching thread.
   */
  public static final class Subscription implements AutoCloseable {
    /** How long a fetch waits for the first message, and how long its pull does. */
    private static final Duration FIRST = Duration.ofSeconds(1);

    /**
     * How long a fetch waits for each further message once it has one: the messages of a batch
     * arrive together, so a longer gap ends the batch (a quiet mesh: one event, handed over at
     * once). The client takes zero as "wait for ever".
     */
    private static final Duration NEXT = Duration.ofMillis(1);

    private final JetStreamSubscription sub;

    private Subscription(JetStreamSubscription sub) {
      this.sub = sub;
    }

    /**
     * Up to {@code max} deliveries, waiting at most a second for the first; empty when none came.
     *
     * @throws EventStoreException when the subscription failed (the caller retries)
     */
    public List<Delivery> fetch(int max) throws InterruptedException {
      if (max < 1 || max > MAX_BATCH) {
        // the server would refuse the pull, and every fetch would come back empty
        throw new IllegalArgumentException("fetch size must be 1.." + MAX_BATCH + ": " + max);
      }
      List<Delivery> out = new ArrayList<>(Math.min(max, 1024));
      try {
        sub.pullNoWait(max, FIRST);
        Message m = sub.nextMessage(FIRST);
        while (m != null) {
          out.add(new Delivery(m));
          m = out.size() < max ? sub.nextMessage(NEXT) : null;
        }
      } catch (IllegalStateException e) {
        throw new EventStoreException("fetch failed: " + e, e);
      }
      return out;
    }

    /** Closes the subscription; what it had not handed over is dropped. */
    @Override
    public void close() {
      try {
        sub.unsubscribe();
      } catch (RuntimeException e) {
        LOG.debug("closing the projector's subscription: {}", e.toString());
      }
    }
  }

  /** One delivered event, as stored. */
  public static final class Delivery {
    private final Message msg;

    private Delivery(Message msg) {
      this.msg = msg;
    }

    public long seq() {
      return msg.metaData().streamSequence();
    }

    public String subject() {
      return msg.getSubject();
    }

    public byte[] data() {
      return msg.getData();
    }

    /** Acknowledges this delivery and every one before it. */
    public void ack() {
      msg.ack();
    }
  }
}
