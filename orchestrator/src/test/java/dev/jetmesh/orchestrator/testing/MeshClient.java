package dev.jetmesh.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.Map;

/**
 * A request/reply client for tests, speaking the reference's {@code {ok,data}} protocol. Bodies may
 * be raw bytes (to send garbage), a string (sent as is) or any object (sent as JSON).
 */
public final class MeshClient implements AutoCloseable {
  private final Connection nc;

  public MeshClient(String url) {
    try {
      nc = Nats.connect(Options.builder().server(url).maxReconnects(-1).build());
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to " + url, e);
    }
  }

  public Connection connection() {
    return nc;
  }

  /** The raw reply to {@code body} on {@code subject}. */
  public JsonNode request(String subject, Object body) {
    try {
      byte[] bytes =
          switch (body) {
            case null -> new byte[0];
            case byte[] b -> b;
            case String s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> Json.mapper().writeValueAsBytes(body);
          };
      Message m = nc.request(subject, bytes, Duration.ofSeconds(30));
      if (m == null) {
        throw new AssertionError("no reply on " + subject);
      }
      return Json.mapper().readTree(m.getData());
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("request on " + subject + " failed", e);
    }
  }

  /** {@code data} of a reply that must be ok. */
  public JsonNode ok(String subject, Object body) {
    JsonNode r = request(subject, body);
    assertThat(r.path("ok").asBoolean()).as("%s %s -> %s", subject, body, r).isTrue();
    return r.get("data");
  }

  /** {@code error} of a reply that must be an error. */
  public String error(String subject, Object body) {
    JsonNode r = request(subject, body);
    assertThat(r.path("ok").asBoolean()).as("%s %s -> %s", subject, body, r).isFalse();
    return r.path("error").asText();
  }

  /** Shorthand for a {@code mesh.tasks.<op>} request that must succeed. */
  public JsonNode task(String op, Map<String, ?> body) {
    return ok("mesh.tasks." + op, body);
  }

  /** Shorthand for a {@code mesh.tasks.<op>} request that must fail. */
  public String taskError(String op, Object body) {
    return error("mesh.tasks." + op, body);
  }

  /**
   * Submits a task with a collaboration spec ({@code task} holds the submission's fields) and
   * returns its session id once the session answers.
   */
  public String submitCollab(Map<String, ?> task, Duration max) {
    String sid = task("submit", task).path("collab_session_id").asText();
    assertThat(sid).as("collab_session_id of %s", task).startsWith("collab-");
    awaitSession(sid, max);
    return sid;
  }

  /** Waits until the collaboration session answers {@code mesh.collab.status}. */
  public void awaitSession(String sessionId, Duration max) {
    org.awaitility.Awaitility.await()
        .atMost(max)
        .until(
            () ->
                request("mesh.collab.status", Map.of("session_id", sessionId))
                    .path("ok")
                    .asBoolean());
  }

  /** Makes {@code node} answer every alive check with "alive", as a healthy worker does. */
  public void answerAliveChecks(io.nats.client.Dispatcher d, String node) {
    d.subscribe(
        dev.jetmesh.schema.Subjects.agentAlive(node),
        m ->
            nc.publish(
                m.getReplyTo(),
                "{\"alive\":true,\"task_id\":null}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
