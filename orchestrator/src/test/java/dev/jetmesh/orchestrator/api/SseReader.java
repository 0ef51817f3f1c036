package dev.jetmesh.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent events client, as a browser's EventSource reads a stream: events ({@code id},
 * {@code event}, {@code data}) and comments, read on a thread of its own into a queue, so a test
 * waits for the next one with a timeout. {@link #close()} disconnects.
 */
final class SseReader implements AutoCloseable {
  /** One event of the stream. */
  record Event(long id, String type, JsonNode data) {}

  /** What the stream sent: an event, or a comment (its text after the colon). */
  record Item(Event event, String comment) {}

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Item> items = new ArrayBlockingQueue<>(100_000);
  private final Thread reader;

  private SseReader(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = Thread.ofVirtual().start(this::read);
  }

  /** Opens {@code url} with header pairs; the response status tells whether it streams. */
  static SseReader open(String url, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return new SseReader(Http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("content-type").orElse("");
  }

  /** The next event (comments skipped), or an AssertionError after {@code max}. */
  Event next(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Item i = items.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (i == null) {
        throw new AssertionError("no event within " + max);
      }
      if (i.event() != null) {
        return i.event();
      }
    }
  }

  /** The next {@code n} events. */
  List<Event> next(int n, Duration max) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next(max));
    }
    return out;
  }

  /** The next comment (events before it are kept for {@link #next}), or an AssertionError. */
  String nextComment(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      Item i = items.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (i == null) {
        throw new AssertionError("no comment within " + max);
      }
      if (i.comment() != null) {
        return i.comment();
      }
    }
  }

  /** True when the server ended the stream within {@code max}. */
  boolean ended(Duration max) throws InterruptedException {
    reader.join(max);
    return !reader.isAlive();
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      Long id = null;
      String type = null;
      String data = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            items.add(new Item(new Event(id == null ? -1 : id, type, Http.parse(data)), null));
          }
          id = null;
          type = null;
          data = null;
        } else if (line.startsWith(":")) {
          items.add(new Item(null, line.substring(1).strip()));
        } else if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? line.substring(6) : data + "\n" + line.substring(6);
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws Exception {
    response.body().close();
    reader.join(5_000);
  }
}
