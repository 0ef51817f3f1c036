package dev.jetmesh.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetmesh.bench.BenchNats;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The wire protocol as an outside client speaks it: JSON request/reply on {@code mesh.*} subjects.
 * A request that gets no reply (orchestrator or server down, a lost acknowledgement) is {@code
 * null}, never an error: the caller decides whether to retry. Thread-safe (one connection per
 * caller thread is still what the load does, as real clients each have their own).
 */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A reply: {@code ok} with {@code data}, or an error with its code and text. */
  record Reply(boolean ok, JsonNode data, String code, String error) {}

  private Wire() {}

  static Connection connect(String url, String name) {
    return BenchNats.connect(url, name, Duration.ofMillis(100));
  }

  static byte[] json(Object o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One request; null when no reply came within {@code timeout} (or no one listened). */
  static @Nullable Reply request(Connection nc, String subject, Object body, Duration timeout) {
    Message m;
    try {
      m =
          nc.requestWithTimeout(subject, json(body), timeout)
              .get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException | IllegalStateException e) {
      return null;
    }
    if (m == null || m.isStatusMessage()) {
      return null;
    }
    try {
      JsonNode r = JSON.readTree(m.getData());
      return new Reply(
          r.path("ok").asBoolean(),
          r.path("data"),
          r.path("code").asText(""),
          r.path("error").asText(""));
    } catch (IOException e) {
      return new Reply(false, JSON.nullNode(), "UNREADABLE", String.valueOf(e.getMessage()));
    }
  }
}
