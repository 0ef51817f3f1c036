package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TestMesh} with its client and the task requests the task ITs share, one per test class.
 * Request bodies are built from the task id and key/value pairs ({@code "priority", 5, ...}) so
 * that a test shows only what it varies.
 */
final class TaskMesh implements AutoCloseable {
  /** How long a test waits for what happens asynchronously: a notification, a timer, a claim. */
  static final Duration WAIT = Duration.ofSeconds(15);

  private final TestMesh mesh;
  private final MeshClient client;

  private TaskMesh(TestMesh mesh) {
    this.mesh = mesh;
    this.client = mesh.client();
  }

  /** Starts NATS, a fresh database and an orchestrator with the given settings. */
  static TaskMesh start(Map<String, String> overrides) {
    return new TaskMesh(TestMesh.start(overrides));
  }

  TestMesh mesh() {
    return mesh;
  }

  MeshClient client() {
    return client;
  }

  void awaitProjected() {
    mesh.awaitProjected();
  }

  long lastSeq() {
    return mesh.orchestrator().store().lastSequence();
  }

  /**
   * Cancels what an earlier test left queued or held, so that claims see only this test's tasks:
   * the tests of a class share one mesh.
   */
  void cancelUnfinished() {
    for (String status : List.of("queued", "claimed", "running")) {
      for (JsonNode t : client.task("list", Map.of("status", status))) {
        client.task(
            "cancel", Map.of("task_id", t.path("task_id").asText(), "reason", "test cleanup"));
      }
    }
    mesh.awaitProjected();
  }

  /** Submits a task titled "Task {@code id}" with the given fields; the task as stored. */
  JsonNode submit(String id, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("title", "Task " + id);
    return client.task("submit", with(body, kv));
  }

  /** The task {@code node} claims: JSON null when there is none. */
  JsonNode claim(String node) {
    return client.task("claim", Map.of("node_id", node));
  }

  /** The id of the task {@code node} claims, or null when there is none. */
  String claimedId(String node) {
    JsonNode t = claim(node);
    return t.isNull() ? null : t.path("task_id").asText();
  }

  JsonNode get(String id) {
    return client.task("get", Map.of("task_id", id));
  }

  /** Submits, waits for the projection, claims by {@code node}: the claimed task. */
  JsonNode submitAndClaim(String id, String node) {
    submit(id);
    mesh.awaitProjected();
    JsonNode c = claim(node);
    assertThat(c.path("task_id").asText()).as("claimed by %s", node).isEqualTo(id);
    return c;
  }

  /** The request is refused with exactly {@code error} and appends nothing. */
  void refused(String op, Object body, String error) {
    long before = lastSeq();
    assertThat(client.taskError(op, body)).as("%s %s", op, body).isEqualTo(error);
    assertThat(lastSeq()).as("stream after refused %s", op).isEqualTo(before);
  }

  /** A body for a command on {@code id} by the holder of {@code claimed}, with its claim token. */
  static Map<String, Object> fenced(String id, JsonNode claimed, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("node_id", claimed.path("owner").asText());
    body.put("claim_token", claimed.path("claim_token").asLong());
    return with(body, kv);
  }

  /**
   * Sends {@code op} on held task {@code id} as its owner would, with the owner and claim token the
   * task has now (strict claims refuse a command without them).
   */
  JsonNode asOwner(String op, String id, Object... kv) {
    return client.task(op, fenced(id, get(id), kv));
  }

  /** The task ids of a list reply, in its order. */
  static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.path("task_id").asText()));
    return out;
  }

  /** The field names of an object, in its order. */
  static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static Instant instant(JsonNode n) {
    return Instant.parse(n.asText());
  }

  static JsonNode json(String s) {
    try {
      return Json.mapper().readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> with(Map<String, Object> body, Object... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return body;
  }

  @Override
  public void close() {
    client.close();
    mesh.close();
  }
}
