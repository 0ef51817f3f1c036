package dev.jetmesh.orchestrator.store;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.PublishOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log on one JetStream stream. Every append names the subject's expected last sequence
 * (optimistic concurrency per aggregate) and a message id (so that a retried publish whose first
 * try did land is recognised as a duplicate instead of written twice). Thread-safe.
 */
public final class EventStore {
  /** JetStream API error code for "wrong last sequence". */
  static final int WRONG_LAST_SEQUENCE = 10071;

  /** JetStream API error code for "no message found". */
  static final int NO_MESSAGE_FOUND = 10037;

  public static final String HEADER_TYPE = "Mesh-Event-Type";

  /**
   * The largest event, as stored, that this orchestrator appends or projects: JetStream's default
   * {@code max_payload}. A projector batch holds up to {@code MESH_PROJECTOR_BATCH} events, so the
   * bound is also what keeps a batch's memory bounded; a larger event in the stream (written past
   * the orchestrator, on a server with a raised {@code max_payload}) halts the projector.
   */
  public static final int MAX_EVENT_BYTES = 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);
  private static final int PUBLISH_TRIES = 4;

  /**
   * How long one try of an append waits for the stream's acknowledgement before it tries again with
   * the same message id: a lost acknowledgement costs the command this much. Long enough for a busy
   * server's fsync (the fault suite's servers sync every write), short enough that the retry comes
   * within a client's patience.
   */
  static final Duration APPEND_TIMEOUT = Duration.ofSeconds(5);

  private final Connection nc;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final String stream;
  private final AtomicLong highestAppended = new AtomicLong();

  public EventStore(Connection nc, String stream) {
    this(nc, stream, APPEND_TIMEOUT);
  }

  /** With {@code appendTimeout} instead of {@link #APPEND_TIMEOUT} (tests that lose acks). */
  EventStore(Connection nc, String stream, Duration appendTimeout) {
    try {
      this.nc = nc;
      this.stream = stream;
      this.js = nc.jetStream(JetStreamOptions.builder().requestTimeout(appendTimeout).build());
      this.jsm = nc.jetStreamManagement();
    } catch (IOException e) {
      throw new EventStoreException("JetStream is not available: " + e.getMessage(), e);
    }
  }

  public String stream() {
    return stream;
  }

  public Connection connection() {
    return nc;
  }

  /**
   * Creates the stream, or checks that an existing one keeps every event. Idempotent. A stream with
   * limits that would silently drop old events is corrected to discard-new, never accepted as is.
   */
  public StreamInfo ensureStream() {
    try {
      StreamInfo info;
      try {
        info = jsm.getStreamInfo(stream);
      } catch (JetStreamApiException e) {
        if (e.getErrorCode() != 404) {
          throw e;
        }
        info = null;
      }
      if (info == null) {
        StreamConfiguration cfg = streamConfiguration(stream, Subjects.EVENTS_ALL);
        LOG.info("creating stream {} on {}", stream, Subjects.EVENTS_ALL);
        return jsm.addStream(cfg);
      }
      StreamConfiguration c = info.getConfiguration();
      boolean drops =
          c.getDiscardPolicy() == DiscardPolicy.Old
              && (c.getMaxMsgs() > 0
                  || c.getMaxBytes() > 0
                  || (c.getMaxAge() != null && !c.getMaxAge().isZero())
                  || c.getMaxMsgsPerSubject() > 0);
      if (c.getRetentionPolicy() != RetentionPolicy.Limits) {
        throw new EventStoreException(
            "stream "
                + stream
                + " has retention "
                + c.getRetentionPolicy()
                + ": an event store needs limits retention",
            null);
      }
      if (drops) {
        LOG.warn("stream {} would discard old events; switching it to discard-new", stream);
        return jsm.updateStream(
            StreamConfiguration.builder(c).discardPolicy(DiscardPolicy.New).build());
      }
      return info;
    } catch (IOException | JetStreamApiException e) {
      throw new EventStoreException("cannot set up stream " + stream + ": " + e.getMessage(), e);
    }
  }

  /**
   * How an event stream is set up: file storage, kept forever, new messages refused rather than old
   * ones dropped, a 2-minute deduplication window. Public so that the benchmark's claim floor
   * appends to a stream set up exactly like this one.
   */
  public static StreamConfiguration streamConfiguration(String stream, String subjects) {
    return StreamConfiguration.builder()
        .name(stream)
        .subjects(subjects)
        .storageType(StorageType.File)
        .retentionPolicy(RetentionPolicy.Limits)
        .discardPolicy(DiscardPolicy.New)
        .maxMessages(-1)
        .maxBytes(-1)
        .maxAge(Duration.ZERO)
        .maxMessagesPerSubject(-1)
        .duplicateWindow(Duration.ofMinutes(2))
        .allowDirect(true)
        .replicas(1)
        .build();
  }

  /**
   * Appends one event to {@code subject}, which must currently end at {@code expectedLastSeq} (0:
   * the subject must be empty). The envelope's event id is the message id. A publish that times out
   * is retried with the same id; a duplicate ack counts as success.
   *
   * @return the stream sequence of the stored event
   * @throws ConcurrencyConflictException when the subject has moved on
   */
  public long append(String subject, Envelope envelope, long expectedLastSeq) {
    byte[] data = EventCodec.encode(envelope);
    if (data.length > MAX_EVENT_BYTES) {
      throw new MeshException(
          ErrorCode.INVALID_REQUEST,
          "Event too large: "
              + envelope.type()
              + " would be "
              + data.length
              + " bytes (max "
              + MAX_EVENT_BYTES
              + ")");
    }
    Headers headers = new Headers().put(HEADER_TYPE, envelope.type());
    PublishOptions opts =
        PublishOptions.builder()
            .expectedStream(stream)
            .messageId(envelope.eventId().toString())
            .expectedLastSubjectSequence(expectedLastSeq)
            .build();
    EventStoreException last = null;
    for (int i = 1; i <= PUBLISH_TRIES; i++) {
      try {
        PublishAck ack = js.publish(subject, headers, data, opts);
        long seq = ack.getSeqno();
        highestAppended.accumulateAndGet(seq, Math::max);
        return seq;
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
          throw new ConcurrencyConflictException(subject, expectedLastSeq, e.getErrorDescription());
        }
        throw new EventStoreException("append to " + subject + " refused: " + e.getMessage(), e);
      } catch (IOException | IllegalStateException e) {
        // Timeout or connection trouble, or the client's outgoing queue was too busy to take the
        // message ("Output queue is busy", under load): the outcome is unknown, so retry with the
        // same Msg-Id, which the stream deduplicates.
        last = new EventStoreException("append to " + subject + " failed: " + e.getMessage(), e);
        LOG.debug("append to {} try {} failed: {}", subject, i, e.toString());
      }
    }
    throw last;
  }

  /** Appends events one after another, each expecting the sequence of the one before. */
  public long appendAll(String subject, List<Envelope> envelopes, long expectedLastSeq) {
    long seq = expectedLastSeq;
    for (Envelope e : envelopes) {
      seq = append(subject, e, seq);
    }
    return seq;
  }

  /** The whole history of one aggregate subject, in order. Empty when it has none. */
  public List<StoredEvent> read(String subject) {
    List<StoredEvent> out = new ArrayList<>();
    long next = 1;
    try {
      while (true) {
        MessageInfo mi;
        try {
          mi = jsm.getNextMessage(stream, next, subject);
        } catch (JetStreamApiException e) {
          if (e.getApiErrorCode() == NO_MESSAGE_FOUND || e.getErrorCode() == 404) {
            return out;
          }
          throw e;
        }
        if (mi == null || mi.getSeq() <= 0) {
          return out;
        }
        out.add(
            new StoredEvent(
                mi.getSeq(),
                Objects.requireNonNull(mi.getSubject()),
                EventCodec.decode(Objects.requireNonNull(mi.getData()))));
        next = mi.getSeq() + 1;
      }
    } catch (IOException | JetStreamApiException e) {
      throw new EventStoreException("cannot read " + subject + ": " + e.getMessage(), e);
    }
  }

  /** The stream sequence of the last event on {@code subject}, or 0 when it has none. */
  public long lastSequenceOf(String subject) {
    try {
      return jsm.getLastMessage(stream, subject).getSeq();
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == NO_MESSAGE_FOUND || e.getErrorCode() == 404) {
        return 0;
      }
      throw new EventStoreException("cannot read " + subject + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new EventStoreException("cannot read " + subject + ": " + e.getMessage(), e);
    }
  }

  /** The stream's current last sequence. */
  public long lastSequence() {
    try {
      return jsm.getStreamInfo(stream).getStreamState().getLastSequence();
    } catch (IOException | JetStreamApiException e) {
      throw new EventStoreException("cannot read stream state: " + e.getMessage(), e);
    }
  }

  /** The highest sequence this process has appended (0 if none). */
  public long highestAppended() {
    return highestAppended.get();
  }
}
