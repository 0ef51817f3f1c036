package dev.jetmesh.orchestrator.api;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.EventCatalog;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: server-sent events of the projected event log, in stream order, each
 * with {@code id: <stream seq>}, so a client that reconnects with {@code Last-Event-ID} (or {@code
 * ?since=}) gets every later event exactly once. Filtered by {@code aggregate} (a kind: the names
 * come from the event catalogue, not from this class) and {@code id}. Without a position it starts
 * at what is projected now.
 *
 * <p>Served from {@code event_log}, so only projected events are streamed: each stream waits on the
 * {@link Watermark} (no polling while nothing happens), then reads the rows up to it, which are all
 * committed. A filtered stream moves its position to the watermark after each read, so a quiet
 * filter never rescans the log. A comment ({@code : keep-alive}) goes out after each {@code
 * keepAlive} of silence, which is also how a vanished client is noticed. At most {@code maxStreams}
 * streams run at once; more are refused with 503. Each stream holds the request's virtual thread
 * while it runs. Thread-safe.
 */
final class EventStream implements Handler, AutoCloseable {
  static final String PATH = "/api/events";
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  private static final int BATCH = 500;

  /** Every aggregate kind the stream can hold: the prefixes of the catalogue's event types. */
  static final Set<String> AGGREGATES = aggregates();

  private final EventLog log;
  private final Watermark watermark;
  private final Semaphore slots;
  private final int maxStreams;
  private final Duration keepAlive;
  private final Set<Thread> streaming = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  EventStream(EventLog log, Watermark watermark, int maxStreams, Duration keepAlive) {
    this.log = requireNonNull(log, "null log");
    this.watermark = requireNonNull(watermark, "null watermark");
    this.maxStreams = maxStreams;
    this.slots = new Semaphore(maxStreams);
    this.keepAlive = requireNonNull(keepAlive, "null keepAlive");
  }

  @Override
  public void handle(Context ctx) throws IOException {
    QueryParams q = QueryParams.of(ctx, "aggregate", "id", "since", "access_token");
    String aggregate = q.text("aggregate");
    if (aggregate != null && !AGGREGATES.contains(aggregate)) {
      throw new InvalidRequestException(
          "Unknown aggregate '" + aggregate + "': must be one of " + String.join(", ", AGGREGATES));
    }
    String id = q.id("id");
    if (id != null && aggregate == null) {
      throw new InvalidRequestException("id needs aggregate: ?aggregate=<kind>&id=<id>");
    }
    String lastEventId = ctx.header("Last-Event-ID");
    Long since = q.sequence("since");
    long from =
        lastEventId != null && !lastEventId.isBlank()
            ? QueryParams.sequence("Last-Event-ID", lastEventId)
            : since != null ? since : watermark.current();
    if (closed || !slots.tryAcquire()) {
      ctx.header("Retry-After", "5");
      Problems.refuse(
          ctx,
          503,
          ErrorCode.UNAVAILABLE,
          "Too many event streams (MESH_SSE_MAX_STREAMS=" + maxStreams + "): try again later");
      return;
    }
    Thread self = Thread.currentThread();
    streaming.add(self);
    try {
      stream(ctx.res(), new EventLog.Filter(aggregate, id), from);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } finally {
      streaming.remove(self);
      slots.release();
    }
  }

  private void stream(HttpServletResponse res, EventLog.Filter filter, long from)
      throws InterruptedException {
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setCharacterEncoding("UTF-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no"); // a proxy must not hold events back
    try {
      OutputStream out = res.getOutputStream();
      send(out, ": stream from " + from + "\n\n");
      long pos = from;
      long quietSince = System.nanoTime();
      while (!closed) {
        long upto = watermark.current();
        if (upto > pos) {
          List<EventLog.Entry> batch = log.read(filter, pos, upto, BATCH);
          if (!batch.isEmpty()) {
            send(out, render(batch));
            quietSince = System.nanoTime();
          }
          // Every row up to the watermark is committed: none matching is left below it.
          pos = batch.size() == BATCH ? batch.get(batch.size() - 1).seq() : upto;
          if (batch.size() == BATCH) {
            continue;
          }
        }
        long waitNanos = keepAlive.toNanos() - (System.nanoTime() - quietSince);
        if (waitNanos <= 0 || !watermark.awaitPast(pos, Duration.ofNanos(waitNanos))) {
          if (System.nanoTime() - quietSince >= keepAlive.toNanos()) {
            send(out, ": keep-alive\n\n");
            quietSince = System.nanoTime();
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("event stream closed by the client: {}", e.toString());
    }
  }

  private static String render(List<EventLog.Entry> batch) throws IOException {
    StringBuilder sb = new StringBuilder(batch.size() * 256);
    for (EventLog.Entry e : batch) {
      // Compact JSON has no line breaks (they are escaped in strings): one data line per event.
      sb.append("id: ")
          .append(e.seq())
          .append("\nevent: ")
          .append(e.type())
          .append("\ndata: ")
          .append(Json.mapper().writeValueAsString(e))
          .append("\n\n");
    }
    return sb.toString();
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** How many streams are open now. */
  int open() {
    return maxStreams - slots.availablePermits();
  }

  /** Ends every open stream (their threads are waiting on the watermark or writing). */
  @Override
  public void close() {
    closed = true;
    streaming.forEach(Thread::interrupt);
  }

  private static Set<String> aggregates() {
    Set<String> out = new TreeSet<>();
    for (String type : EventCatalog.all().keySet()) {
      int dot = type.indexOf('.');
      out.add(dot < 0 ? type : type.substring(0, dot));
    }
    return java.util.Collections.unmodifiableSet(out);
  }
}
