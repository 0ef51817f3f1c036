package dev.jetmesh.orchestrator.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.wire.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves request/reply subjects. Each request runs on its own virtual thread (handlers block on
 * JetStream and JDBC); the dispatcher thread only hands messages over. Whatever a handler throws
 * becomes an {@code {ok:false,error,code}} reply ({@link ErrorReplies}), and the router keeps
 * serving.
 *
 * <p>Several orchestrators share the subjects in one queue group, but only the <em>primary</em>
 * (the one that projects and holds the claim index, {@link #primary}) decides: a standby forwards
 * what NATS hands it to the primary ({@link Forwarder}) and sends its reply back unchanged. One
 * process deciding means no appends refused for a stale cache and no two claims racing for one
 * queue head, which had made a second orchestrator halve the mesh's speed (docs/architecture.md,
 * "Several orchestrators"). With no primary (a hand-over), a standby decides itself, from its
 * aggregates' own events and the read model, as any orchestrator could before. Thread-safe.
 */
public final class RequestRouter implements AutoCloseable {
  /** Handles one request body; returns the reply's {@code data}. */
  @FunctionalInterface
  public interface Handler {
    @Nullable Object handle(byte[] body) throws Exception;
  }

  public static final String QUEUE_GROUP = "jetmesh-orchestrator";
  private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

  /** The request timer, labelled {@code subject} (a registered subject) and {@code outcome}. */
  public static final String METRIC = "jetmesh.requests";

  /** The {@code subject} label of requests on a subject nobody serves. */
  public static final String UNKNOWN_ROUTE = "unknown";

  private final Connection nc;
  private final int maxRequestBytes;
  private final MeterRegistry meters;
  private final Forwarder forwarder;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private @Nullable Dispatcher dispatcher;
  private @Nullable Dispatcher queueMember;
  private @Nullable PrimaryBeat beat;
  private String[] wildcards = {};
  private volatile boolean primary;
  private boolean closed;

  public RequestRouter(Connection nc, int maxRequestBytes, MeterRegistry meters) {
    this.nc = nc;
    this.maxRequestBytes = maxRequestBytes;
    this.meters = meters;
    this.forwarder = new Forwarder(nc);
  }

  /** Registers {@code handler} for an exact subject. Call before {@link #start}. */
  public RequestRouter route(String subject, Handler handler) {
    handlers.put(subject, handler);
    return this;
  }

  /**
   * Serves each of {@code wildcards} in the queue group; subjects under it with no handler get an
   * error reply. A standby leaves the group while it hears a primary ({@link PrimaryBeat}).
   */
  public synchronized void start(String... wildcards) {
    this.wildcards = wildcards.clone();
    dispatcher = nc.createDispatcher(msg -> workers.execute(() -> serve(msg)));
    inQueueGroup(true);
    beat = new PrimaryBeat(nc, () -> primary, this::inQueueGroup);
    awaitSubscriptions();
  }

  /**
   * Returns once the server has our subscriptions (a ping answered after them), so that a request
   * sent right after start finds a responder instead of NATS's "no responders".
   */
  private void awaitSubscriptions() {
    try {
      nc.flush(Duration.ofSeconds(5));
    } catch (TimeoutException e) {
      // Disconnected: the subscriptions are sent again on reconnect; nothing to wait for here.
      LOG.warn("NATS did not confirm the request subscriptions within 5 s; serving when it does");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Makes this process the primary (it decides every request, its own and those other orchestrators
   * forward) or a standby (it forwards). Call after {@link #start}.
   */
  public synchronized void primary(boolean isPrimary) {
    if (closed) {
      return;
    }
    Dispatcher d = requireNonNull(dispatcher, "router not started");
    if (isPrimary && !primary) {
      d.subscribe(Subjects.FORWARDED_PREFIX + ">");
      inQueueGroup(true);
    } else if (!isPrimary && primary) {
      d.unsubscribe(Subjects.FORWARDED_PREFIX + ">");
    }
    primary = isPrimary;
  }

  /**
   * Joins or leaves the queue group. Leaving drains: requests NATS already handed over are still
   * answered.
   */
  private synchronized void inQueueGroup(boolean member) {
    if (closed || member == (queueMember != null)) {
      return;
    }
    if (member) {
      Dispatcher d = nc.createDispatcher(msg -> workers.execute(() -> serve(msg)));
      for (String w : wildcards) {
        d.subscribe(w, QUEUE_GROUP);
      }
      d.subscribe(Subjects.AS_NODE_ALL, QUEUE_GROUP); // node-scoped requests (NodeScope)
      queueMember = d;
      LOG.debug("serving requests in the queue group");
    } else {
      Dispatcher d = requireNonNull(queueMember);
      queueMember = null;
      try {
        // Returns at once; the rest happens in the background, and a dispatcher that does not
        // drain in time is closed by it anyway, which is all that matters here.
        var unused = d.drain(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        nc.closeDispatcher(d);
      }
      LOG.debug("a primary serves the requests: out of the queue group");
    }
  }

  /** Whether this process is in the request queue group now. */
  public synchronized boolean inQueueGroup() {
    return queueMember != null;
  }

  private void serve(Message msg) {
    if (msg.getReplyTo() == null) {
      return; // a publish, not a request: nobody to answer
    }
    String subject = msg.getSubject();
    boolean forwarded = subject.startsWith(Subjects.FORWARDED_PREFIX);
    if (forwarded) {
      subject = subject.substring(Subjects.FORWARDED_PREFIX.length());
    }
    // A node-scoped request (mesh.as.<node>.<rest>) is served by the handler of mesh.<rest>; a
    // standby forwards it on the plain subject once its body is bound to the sender.
    Subjects.AsNode as = forwarded ? null : Subjects.parseAsNode(subject);
    if (as != null) {
      subject = as.subject();
    }
    Handler h = as != null && !NodeScope.serves(subject) ? null : handlers.get(subject);
    // The metric's label is the registered subject the request was served by, or "unknown": a
    // fixed set, whatever subjects clients make up (a made-up subject must not become a series).
    String route = h == null ? UNKNOWN_ROUTE : subject;
    Timer.Sample sample = Timer.start(meters);
    Reply reply;
    try {
      if (h == null) {
        throw new InvalidRequestException("Unknown subject " + msg.getSubject());
      }
      byte[] body = msg.getData() == null ? new byte[0] : msg.getData();
      if (body.length > maxRequestBytes) {
        throw new InvalidRequestException(
            "Payload too large: " + body.length + " bytes (max " + maxRequestBytes + ")");
      }
      if (as != null) {
        body = NodeScope.bind(as, body);
      }
      if (!forwarded
          && !primary
          && forwarder.forward(subject, body) instanceof Forwarder.Outcome.Answered a) {
        sample.stop(meters.timer(METRIC, "subject", route, "outcome", "FORWARDED"));
        nc.publish(msg.getReplyTo(), a.body());
        return;
      }
      reply = Reply.ok(h.handle(body));
    } catch (MeshException e) {
      reply = ErrorReplies.of(e, route);
    } catch (Exception e) {
      reply = ErrorReplies.unexpected(e, route);
    }
    String outcome = reply instanceof Reply.Err err ? err.code().name() : "OK";
    sample.stop(meters.timer(METRIC, "subject", route, "outcome", outcome));
    respond(msg, reply);
  }

  private void respond(Message msg, Reply reply) {
    try {
      byte[] out = Json.mapper().writeValueAsBytes(reply);
      if (out.length > nc.getMaxPayload()) {
        out =
            Json.mapper()
                .writeValueAsBytes(
                    Reply.error(
                        ErrorCode.INVALID_REQUEST,
                        "Reply too large ("
                            + out.length
                            + " bytes): narrow the request, e.g. list with status, owner, tag or"
                            + " limit"));
      }
      nc.publish(msg.getReplyTo(), out);
    } catch (JsonProcessingException e) {
      LOG.error("cannot encode reply", e);
    } catch (RuntimeException e) {
      LOG.warn("cannot send reply to {}: {}", msg.getSubject(), e.toString());
    }
  }

  /**
   * Stops serving: the primary's beat, then the subscriptions, then waits up to 10 s for requests
   * in flight. A second call does nothing. The subscriptions are closed and the workers shut down
   * even when the wait for the beat is interrupted, so no new request is taken after it returns.
   */
  @Override
  public void close() throws InterruptedException {
    PrimaryBeat b;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      b = beat;
    }
    try {
      if (b != null) {
        b.close(); // outside the lock: its last tick may be waiting for it
      }
    } finally {
      synchronized (this) {
        if (queueMember != null) {
          nc.closeDispatcher(queueMember);
          queueMember = null;
        }
        if (dispatcher != null) {
          nc.closeDispatcher(dispatcher);
          dispatcher = null;
        }
      }
      workers.shutdown();
    }
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }
}
