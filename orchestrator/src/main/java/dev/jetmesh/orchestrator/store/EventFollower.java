package dev.jetmesh.orchestrator.store;

import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.OrderedConsumerContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.impl.Headers;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the stream's tail from the moment it starts (an ordered push consumer over {@code
 * mesh.evt.>}, nothing stored on the server), and hands every event to its listeners with the
 * sequence its subject was expected to end at when it was appended. The aggregate caches use it to
 * apply what other orchestrators append: without it, every command on an aggregate that another
 * process touched last met a stale cache, paid a refused append, and read the aggregate back from
 * the stream one message at a time (docs/architecture.md, "Several orchestrators").
 *
 * <p>The expected sequence comes from the {@code Nats-Expected-Last-Subject-Sequence} header that
 * every {@link EventStore#append} sets and JetStream keeps with the message; a listener applies an
 * event only to a state that ends exactly there, so a missed event can never be folded over. An
 * event appended without the header is reported with {@link #UNKNOWN}. Thread-safe; listeners run
 * on the client's delivery thread and must be quick.
 */
public final class EventFollower implements AutoCloseable {
  /** The previous-sequence value of an event appended without an expected sequence. */
  public static final long UNKNOWN = -1;

  private static final String EXPECTED_HEADER = "Nats-Expected-Last-Subject-Sequence";
  private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);

  /** One followed event and the sequence its subject ended at before it ({@link #UNKNOWN}). */
  public record Followed(StoredEvent event, long previousOnSubject) {}

  private final EventStore store;
  private final List<Consumer<Followed>> listeners = new CopyOnWriteArrayList<>();
  private @Nullable MessageConsumer consumer;

  EventFollower(EventStore store) {
    this.store = store;
  }

  /** Adds a listener; events delivered before it was added are not replayed to it. */
  public void addListener(Consumer<Followed> listener) {
    listeners.add(listener);
  }

  /** Starts following at the stream's next event. Idempotent. */
  public synchronized void start() {
    if (consumer != null) {
      return;
    }
    try {
      OrderedConsumerContext oc =
          store
              .connection()
              .getStreamContext(store.stream())
              .createOrderedConsumer(
                  new OrderedConsumerConfiguration()
                      .filterSubject(Subjects.EVENTS_ALL)
                      .deliverPolicy(DeliverPolicy.New));
      consumer = oc.consume(this::deliver);
    } catch (Exception e) {
      // The caches still work without it: stale entries conflict and are read back.
      LOG.warn("not following the stream (caches fall back to reads): {}", e.toString());
    }
  }

  private void deliver(Message m) {
    StoredEvent e;
    try {
      e =
          new StoredEvent(
              m.metaData().streamSequence(),
              Objects.requireNonNull(m.getSubject()),
              EventCodec.decode(Objects.requireNonNull(m.getData())));
    } catch (RuntimeException x) {
      // Not an event this version can read: whatever caches it concerns stay as they are, and a
      // command on them meets a conflict and reads the aggregate back.
      LOG.debug("followed message not decoded: {}", x.toString());
      return;
    }
    Followed f = new Followed(e, previous(m.getHeaders()));
    for (Consumer<Followed> l : listeners) {
      try {
        l.accept(f);
      } catch (RuntimeException x) {
        LOG.warn("follower listener failed on seq {}: {}", e.seq(), x.toString());
      }
    }
  }

  private static long previous(@Nullable Headers h) {
    String v = h == null ? null : h.getFirst(EXPECTED_HEADER);
    if (v == null) {
      return UNKNOWN;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException x) {
      return UNKNOWN;
    }
  }

  @Override
  public synchronized void close() {
    if (consumer != null) {
      try {
        consumer.stop();
        consumer.close();
      } catch (Exception e) {
        LOG.debug("follower not closed cleanly: {}", e.toString());
      }
      consumer = null;
    }
  }
}
