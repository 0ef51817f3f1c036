package dev.jetmesh.worker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.ReplayCli;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker processes of one collaboration test, each on its own node with its own sandbox
 * (workspace, worktrees, fake LLM logging every prompt), plus what the collab tests read back: the
 * session's events from the read model's event log, each node's prompts, and the replay of a
 * session by the real {@code jetmesh collab replay} command. {@link #close} kills every worker and
 * the children they left. Not thread-safe.
 */
final class CollabNodes implements AutoCloseable {
  private final E2eMesh mesh;
  private final Path dir;
  private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
  private final Map<String, Sandbox> boxes = new LinkedHashMap<>();

  CollabNodes(E2eMesh mesh, Path dir) {
    this.mesh = mesh;
    this.dir = dir;
  }

  /**
   * Starts a worker on {@code node}; the fake LLM writes {@code <node>.txt} (unless {@code fake}
   * says otherwise), logs its prompts, and gets the switches in {@code fake}.
   */
  Sandbox start(String node, Map<String, String> fake) {
    Sandbox box = E2eMesh.sandbox(dir.resolve(node));
    Map<String, String> env = mesh.workerEnv(node, box, 1);
    env.put("FAKE_LLM_WRITE", node + ".txt");
    env.put("FAKE_LLM_PROMPT_LOG", box.dir().resolve("prompts.log").toString());
    env.put("MESH_COLLAB_CHECK_INTERVAL", "500");
    env.putAll(fake);
    workers.put(node, WorkerProcess.start(env, dir.resolve(node).resolve("log")));
    boxes.put(node, box);
    return box;
  }

  WorkerProcess process(String node) {
    return workers.get(node);
  }

  Sandbox box(String node) {
    return boxes.get(node);
  }

  /** The prompts the fake LLM of {@code node} was given, in order. */
  List<String> prompts(String node) {
    Path log = boxes.get(node).dir().resolve("prompts.log");
    try {
      if (!Files.exists(log)) {
        return List.of();
      }
      return Arrays.stream(Files.readString(log).split("\n=====\n"))
          .filter(p -> !p.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The prompt {@code node} got for {@code round}; fails when there is none. */
  String prompt(String node, int round) {
    return prompts(node).stream()
        .filter(p -> p.contains("# Collaboration round " + round + ":"))
        .findFirst()
        .orElseThrow(() -> new AssertionError(node + " got no prompt for round " + round));
  }

  /** Every worker's log, for failure messages. */
  String logs() {
    StringBuilder b = new StringBuilder();
    workers.forEach(
        (node, w) ->
            b.append("----- ").append(node).append(" -----\n").append(w.log()).append('\n'));
    return b.toString();
  }

  /** Waits for the task to reach {@code status}; the failure message holds the workers' logs. */
  void awaitTask(String taskId, String status, Duration max) {
    try {
      mesh.awaitStatus(taskId, status, max);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          "task " + taskId + " did not become " + status + "; logs:\n" + logs(), e);
    }
  }

  String sessionOf(String taskId) {
    return mesh.get(taskId).path("collab_session_id").asText();
  }

  /** The payloads of the session's events of {@code type} in the event log, in stream order. */
  List<JsonNode> events(String sessionId, String type) {
    return mesh
        .rows(
            "SELECT payload FROM event_log WHERE aggregate_id = ? AND type = ? ORDER BY seq",
            sessionId,
            type)
        .stream()
        .map(r -> (JsonNode) r.get("payload"))
        .toList();
  }

  /** The session's events (sequence, time, type, payload), one a line, for failure messages. */
  String timeline(String sessionId) {
    StringBuilder b = new StringBuilder("events of " + sessionId + ":\n");
    for (Map<String, Object> r :
        mesh.rows(
            "SELECT seq, occurred_at, type, payload FROM event_log WHERE aggregate_id = ?"
                + " ORDER BY seq",
            sessionId)) {
      b.append(r.get("seq"))
          .append(' ')
          .append(r.get("occurred_at"))
          .append(' ')
          .append(r.get("type"))
          .append(' ')
          .append(r.get("payload"))
          .append('\n');
    }
    return b.toString();
  }

  /** The session's event types in stream order. */
  List<String> eventTypes(String sessionId) {
    return mesh.eventTypes(sessionId);
  }

  /** Runs {@code jetmesh collab replay} on the session; it must reproduce every decision. */
  String assertReplayReproduces(String sessionId) {
    return ReplayCli.assertReproduces(Map.of("MESH_NATS_URL", mesh.natsUrl()), sessionId);
  }

  @Override
  public void close() {
    workers.values().forEach(WorkerProcess::close);
  }
}
