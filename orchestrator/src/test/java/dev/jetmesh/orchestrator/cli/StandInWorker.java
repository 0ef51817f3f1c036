package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the CLI examples need of workers, over the wire: each submitted task that can be claimed is
 * claimed, started, given one attempt and completed; each recruiting session gets two members that
 * vote {@code converged} in every round. Driven by the mesh's notifications, on one NATS dispatcher
 * thread; a task with a collaboration spec is left to its session, as a real worker leaves it.
 */
final class StandInWorker implements AutoCloseable {
  static final List<String> MEMBERS = List.of("doc-m1", "doc-m2");

  private final MeshClient client;
  private final Dispatcher d;
  private final AtomicInteger claims = new AtomicInteger();

  StandInWorker(MeshClient client) {
    this.client = client;
    this.d = client.connection().createDispatcher();
    d.subscribe(Subjects.taskNotification("submitted"), m -> claimAll());
    d.subscribe(Subjects.COLLAB_RECRUITS, this::join);
    for (String n : MEMBERS) {
      d.subscribe("mesh.collab.*.node." + n + ".round", m -> reflect(n, m));
    }
  }

  private void claimAll() {
    while (true) {
      // A fresh node per claim: a collaboration task stays held by the node that claimed it.
      String node = "doc-w" + claims.incrementAndGet();
      JsonNode t = client.task("claim", Map.of("node_id", node));
      if (t.isNull()) {
        return;
      }
      if (t.hasNonNull("collaboration")) {
        continue;
      }
      String id = t.path("task_id").asText();
      Map<String, Object> fence = new HashMap<>();
      fence.put("task_id", id);
      fence.put("node_id", node);
      fence.put("claim_token", t.path("claim_token").asLong());
      client.task("start", fence);
      Map<String, Object> attempt = new HashMap<>(fence);
      attempt.putAll(
          Map.of(
              "approach",
              "ran the description",
              "result",
              "exit 0",
              "keep",
              true,
              "attempt",
              1,
              "provider",
              "shell",
              "exit_code",
              0,
              "duration_ms",
              1200));
      client.task("attempt", attempt);
      Map<String, Object> done = new HashMap<>(fence);
      done.put("result", Map.of("success", true, "summary", "done by " + node));
      client.task("complete", done);
    }
  }

  private void join(Message m) {
    String sid = m.getSubject().split("\\.")[2];
    for (String n : MEMBERS) {
      client.request("mesh.collab.join", Map.of("session_id", sid, "node_id", n));
    }
  }

  private void reflect(String node, Message m) {
    JsonNode round;
    try {
      round = Json.mapper().readTree(m.getData());
    } catch (IOException e) {
      return;
    }
    Map<String, Object> r = new HashMap<>();
    r.put("session_id", round.path("session_id").asText());
    r.put("node_id", node);
    r.put("round", round.path("round_number").asInt());
    r.put("summary", "reviewed by " + node);
    r.put("learnings", "nothing to add");
    r.put("artifacts", List.of());
    r.put("confidence", 0.9);
    r.put("vote", "converged");
    r.put("parse_failed", false);
    // Re-sent rounds are refused as already reflected: harmless here.
    client.request("mesh.collab.reflect", r);
  }

  @Override
  public void close() {
    client.connection().closeDispatcher(d);
  }
}
