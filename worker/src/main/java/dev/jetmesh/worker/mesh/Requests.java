package dev.jetmesh.worker.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One request/reply round trip with the reference's envelope. Stateless and thread-safe. */
final class Requests {
  private Requests() {}

  /**
   * Sends {@code body} as JSON to {@code subject} and returns the reply's {@code data} (possibly
   * null); throws {@link RejectedException} on {@code ok:false} and {@link UnavailableException}
   * when there is no usable reply.
   */
  static JsonNode send(Connection nc, String subject, Object body, Duration timeout) {
    byte[] bytes = encode(subject, body);
    Message reply;
    try {
      reply =
          nc.requestWithTimeout(subject, bytes, timeout)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(subject + " interrupted", e);
    } catch (ExecutionException | CancellationException | TimeoutException e) {
      throw new UnavailableException(subject + " got no reply: " + describe(e), e);
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(reply.getData());
    } catch (IOException e) {
      throw new UnavailableException(subject + " reply is not JSON", e);
    }
    if (root == null || !root.isObject() || !root.path("ok").isBoolean()) {
      throw new UnavailableException(subject + " reply has no ok field");
    }
    if (!root.get("ok").asBoolean()) {
      throw new RejectedException(codeOf(root), root.path("error").asText("unknown error"));
    }
    return root.get("data");
  }

  private static ErrorCode codeOf(JsonNode reply) {
    try {
      return ErrorCode.valueOf(reply.path("code").asText(""));
    } catch (IllegalArgumentException e) {
      return ErrorCode.CONFLICT; // an orchestrator without codes: every error was a refusal
    }
  }

  /**
   * The request as JSON, with every NUL character in its strings replaced by U+FFFD: LLM and tool
   * output can hold one, and the orchestrator refuses it (Postgres cannot store it), which would
   * lose the whole report for one byte.
   */
  static byte[] encode(String subject, Object body) {
    try {
      JsonNode tree = Json.mapper().valueToTree(body);
      return Json.mapper().writeValueAsBytes(withoutNul(tree));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot encode " + subject, e);
    }
  }

  private static JsonNode withoutNul(JsonNode n) {
    if (n.isTextual() && n.textValue().indexOf('\0') >= 0) {
      return TextNode.valueOf(n.textValue().replace('\0', '\uFFFD'));
    }
    if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, withoutNul(a.get(i)));
      }
    } else if (n instanceof ObjectNode o) {
      for (var e : o.properties()) {
        e.setValue(withoutNul(e.getValue()));
      }
    }
    return n;
  }

  private static String describe(Exception e) {
    Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }
}
