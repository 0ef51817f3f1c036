package dev.jetmesh.orchestrator.wire;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.wire.Reply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves request/reply subjects. Each request runs on its own virtual thread (handlers block on
 * JetStream and JDBC); the dispatcher thread only hands messages over. Whatever a handler throws
 * becomes an {@code {ok:false,error,code}} reply ({@link ErrorReplies}), and the router keeps
 * serving. Thread-safe.
 */
public final class RequestRouter implements AutoCloseable {
  /** Handles one request body; returns the reply's {@code data}. */
  @FunctionalInterface
  public interface Handler {
    @Nullable Object handle(byte[] body) throws Exception;
  }

  /** A handler's result that is a whole reply already (another orchestrator's): sent as it is. */
  // An array component is fine here: the reply is built once, sent once and never compared.
  @SuppressWarnings("ArrayRecordComponent")
  public record RawReply(byte[] body) {}

  public static final String QUEUE_GROUP = "jetmesh-orchestrator";
  private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

  private final Connection nc;
  private final int maxRequestBytes;
  private final MeterRegistry meters;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private @Nullable Dispatcher dispatcher;

  public RequestRouter(Connection nc, int maxRequestBytes, MeterRegistry meters) {
    this.nc = nc;
    this.maxRequestBytes = maxRequestBytes;
    this.meters = meters;
  }

  /** Registers {@code handler} for an exact subject. Call before {@link #start}. */
  public RequestRouter route(String subject, Handler handler) {
    handlers.put(subject, handler);
    return this;
  }

  /**
   * Subscribes to each of {@code wildcards}; subjects under it with no handler get an error reply.
   */
  public void start(String... wildcards) {
    dispatcher = nc.createDispatcher(msg -> workers.execute(() -> serve(msg)));
    for (String w : wildcards) {
      dispatcher.subscribe(w, QUEUE_GROUP);
    }
  }

  /**
   * Serves {@code subject} with {@code handler} in this process only, outside the queue group,
   * until the returned handle is closed: for requests that must reach one particular orchestrator
   * (the one that holds the claim index). Call after {@link #start}.
   */
  public AutoCloseable serveHere(String subject, Handler handler) {
    Dispatcher d = requireNonNull(dispatcher, "router not started");
    handlers.put(subject, handler);
    d.subscribe(subject);
    return () -> d.unsubscribe(subject);
  }

  private void serve(Message msg) {
    if (msg.getReplyTo() == null) {
      return; // a publish, not a request: nobody to answer
    }
    String subject = msg.getSubject();
    Handler h = handlers.get(subject);
    Timer.Sample sample = Timer.start(meters);
    Reply reply;
    try {
      if (h == null) {
        throw new InvalidRequestException("Unknown subject " + subject);
      }
      byte[] body = msg.getData();
      if (body != null && body.length > maxRequestBytes) {
        throw new InvalidRequestException(
            "Payload too large: " + body.length + " bytes (max " + maxRequestBytes + ")");
      }
      Object data = h.handle(body);
      if (data instanceof RawReply raw) {
        sample.stop(meters.timer("jetmesh.requests", "subject", subject, "outcome", "FORWARDED"));
        nc.publish(msg.getReplyTo(), raw.body());
        return;
      }
      reply = Reply.ok(data);
    } catch (MeshException e) {
      reply = ErrorReplies.of(e, subject);
    } catch (Exception e) {
      reply = ErrorReplies.unexpected(e, subject);
    }
    // Labels are bounded: the registered subject (never what a client sent) and the error code.
    String route = h == null ? "unknown" : subject;
    String outcome = reply instanceof Reply.Err err ? err.code().name() : "OK";
    sample.stop(meters.timer("jetmesh.requests", "subject", route, "outcome", outcome));
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

  @Override
  public void close() throws InterruptedException {
    if (dispatcher != null) {
      nc.closeDispatcher(dispatcher);
    }
    workers.shutdown();
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }
}
