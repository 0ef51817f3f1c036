package dev.jetmesh.orchestrator.store;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
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
            .maxBatch(10_000);
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
      return new Subscription(
          nc.getStreamContext(stream).createOrUpdateConsumer(consumer(durable, after)));
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

  /** A positioned consumer. */
  public static final class Subscription {
    private final ConsumerContext consumer;

    private Subscription(ConsumerContext consumer) {
      this.consumer = consumer;
    }

    /**
     * Up to {@code max} deliveries, waiting at most a second for the first; empty when none came.
     *
     * @throws EventStoreException when the fetch failed (the caller retries)
     */
    public List<Delivery> fetch(int max) throws InterruptedException {
      FetchConsumeOptions opts =
          FetchConsumeOptions.builder().maxMessages(max).noWaitExpiresIn(1000).build();
      List<Delivery> out = new ArrayList<>(max);
      try (FetchConsumer fc = consumer.fetch(opts)) {
        Message m;
        while ((m = fc.nextMessage()) != null) {
          out.add(new Delivery(m));
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        throw new EventStoreException("fetch failed: " + e, e);
      }
      return out;
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
