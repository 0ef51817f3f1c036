package dev.jetmesh.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jetmesh.schema.Json;
import io.nats.client.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * What the load client needs of a {@code {ok, data | error}} reply: whether it is ok, its error
 * text, what {@code data} is, and, when it is an object, the task's {@code task_id} and {@code
 * claim_token}. Read in one streaming pass that builds no tree: the client shares the
 * orchestrator's two cores, and reading every reply (a whole task document) into a tree, twice for
 * a claim, was half of its claimer threads' CPU in a profile of the end-to-end drain.
 */
record WireReply(
    boolean ok,
    @Nullable String error,
    Data data,
    @Nullable String taskId,
    @Nullable Long claimToken) {

  /** What the reply's {@code data} is. */
  enum Data {
    /** Absent or null: a claim that found nothing. */
    NONE,
    OBJECT,
    /** An array, string, number or boolean: not a reply the client understands. */
    OTHER
  }

  /**
   * Reads a reply; a body that is not a JSON object reads as a reply that is not ok.
   *
   * @throws IOException when the body is not JSON, or has content after its object
   */
  static WireReply read(byte[] body) throws IOException {
    try (JsonParser p = Json.mapper().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new WireReply(false, null, Data.NONE, null, null);
      }
      boolean ok = false;
      String error = null;
      Data data = Data.NONE;
      String taskId = null;
      Long claimToken = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "ok" -> ok = t == JsonToken.VALUE_TRUE;
          case "error" -> error = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "data" -> {
            data = t == JsonToken.VALUE_NULL ? Data.NONE : Data.OTHER;
            if (t == JsonToken.START_OBJECT) {
              data = Data.OBJECT;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("task_id") && v == JsonToken.VALUE_STRING) {
                  taskId = p.getText();
                } else if (name.equals("claim_token") && v == JsonToken.VALUE_NUMBER_INT) {
                  claimToken = p.getLongValue();
                }
                p.skipChildren(); // nothing on a scalar
              }
              continue; // the object is read to its end
            }
          }
          default -> {}
        }
        p.skipChildren();
      }
      if (p.nextToken() != null) {
        throw new IOException("content after the reply's JSON object");
      }
      return new WireReply(ok, error, data, taskId, claimToken);
    }
  }

  /**
   * A received message: its {@code reply} when it is an ok one, else what went wrong ({@code
   * error}). A reply that is not an ok one and has no error text (an empty body, a status message,
   * JSON without {@code ok}) is shown as received: otherwise it would read as an error with no
   * text.
   */
  record Received(@Nullable WireReply reply, @Nullable String error) {
    static Received of(@Nullable Message m) {
      if (m == null) {
        return new Received(null, "no reply within " + Driver.REQUEST_TIMEOUT);
      }
      WireReply r;
      try {
        r = read(m.getData());
      } catch (IOException e) {
        return new Received(null, "unreadable reply: " + e.getMessage());
      }
      String error = r.errorText(m);
      return error == null ? new Received(r, null) : new Received(null, error);
    }
  }

  /** Null when {@code m} is an ok reply, else what went wrong ({@link Received}). */
  static @Nullable String errorOf(@Nullable Message m) {
    return Received.of(m).error();
  }

  /** Null when this reply, read from {@code m}, is an ok one, else what went wrong. */
  private @Nullable String errorText(Message m) {
    if (ok) {
      return null;
    }
    if (error != null && !error.isBlank()) {
      return "error reply: " + error;
    }
    return "reply without error text: "
        + new String(m.getData(), StandardCharsets.UTF_8)
        + (m.isStatusMessage() ? " (status " + m.getStatus() + ")" : "");
  }
}
