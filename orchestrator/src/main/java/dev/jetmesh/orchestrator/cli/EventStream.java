package dev.jetmesh.orchestrator.cli;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Follows {@code GET /api/events} for one aggregate on its own daemon thread, from the first event
 * (so that nothing between a snapshot and the subscription is missed), and reconnects with {@code
 * Last-Event-ID} when the stream breaks: the server resends every later event, none twice. Calls
 * {@code onEvent} (on the stream's thread) after each event, and once more when it gives up: after
 * a refusal, or when the API stayed unreachable for {@link #GIVE_UP}. Thread-safe.
 */
final class EventStream implements AutoCloseable {
  static final Duration GIVE_UP = Duration.ofSeconds(60);

  private final ReadApi api;
  private final Map<String, Object> query;
  private final Runnable onEvent;
  private volatile boolean closed;
  private volatile @Nullable RuntimeException failure;
  private volatile @Nullable Stream<String> current;
  private volatile @Nullable String lastEventId;

  EventStream(ReadApi api, String aggregate, String id, Runnable onEvent) {
    this.api = api;
    this.query = new LinkedHashMap<>();
    query.put("aggregate", aggregate);
    query.put("id", id);
    this.onEvent = onEvent;
  }

  EventStream start() {
    Thread t = new Thread(this::run, "jetmesh-events");
    t.setDaemon(true);
    t.start();
    return this;
  }

  /** Why the stream gave up, or null while it follows. */
  @Nullable RuntimeException failure() {
    return failure;
  }

  private void run() {
    Instant downSince = null;
    long backoff = 200;
    while (!closed) {
      Map<String, Object> q = new LinkedHashMap<>(query);
      if (lastEventId == null) {
        q.put("since", 0);
      }
      try (Stream<String> lines = api.events(q, lastEventId)) {
        current = lines;
        downSince = null;
        backoff = 200;
        read(lines.iterator());
      } catch (UnreachableException | RefusedException e) {
        if (Exit.of(e) != Exit.UNREACHABLE) {
          fail(e); // refused: not found, unauthorized, a bad filter
          return;
        }
        // unreachable, or not ready (503): an orchestrator restarting
        Instant now = Instant.now();
        downSince = downSince == null ? now : downSince;
        if (Duration.between(downSince, now).compareTo(GIVE_UP) > 0) {
          fail(e);
          return;
        }
      } catch (UncheckedIOException e) {
        // the stream broke: reconnect below
      }
      if (!closed) {
        pause(backoff);
        backoff = Math.min(5000, backoff * 2);
      }
    }
  }

  /**
   * Server-sent events: {@code id:}, {@code event:}, {@code data:} lines, a blank line ends one.
   */
  private void read(Iterator<String> lines) {
    String id = null;
    boolean data = false;
    while (!closed && lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data) {
          if (id != null) {
            lastEventId = id;
          }
          onEvent.run();
        }
        id = null;
        data = false;
      } else if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("data:")) {
        data = true;
      }
      // comments (": keep-alive") and event: lines need nothing here
    }
  }

  private void fail(RuntimeException e) {
    failure = e;
    onEvent.run();
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms); // a reconnect backoff, not a wait for a result
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    Stream<String> s = current;
    if (s != null) {
      s.close();
    }
  }
}
