package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.plan.PlanFixtures;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real workload {@link RebuildIT} rebuilds: nodes joined and removed; a two-wave plan run to
 * completion by a simulated worker; a collaboration session over two rounds to convergence; tasks
 * with dependencies, attempts, a failure, a release, a cancellation while waiting, one left running
 * and one left queued.
 */
final class RebuildWorkload {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final MeshClient client;

  RebuildWorkload(MeshClient client) {
    this.client = client;
  }

  /** A mesh with short sweeps that ran all of the workload, its orchestrator stopped. */
  static TestMesh run() {
    TestMesh mesh = TestMesh.start(Map.of("MESH_SWEEP_SECONDS", "0.2"));
    try (MeshClient client = mesh.client()) {
      RebuildWorkload w = new RebuildWorkload(client);
      w.nodes();
      w.plan();
      w.collab();
      w.tasks();
    }
    mesh.awaitProjected();
    mesh.stopOrchestrator();
    return mesh;
  }

  /** Two nodes join; one is removed: the nodes read model has a row in each state but stale. */
  void nodes() {
    for (String node : List.of("rb-node-1", "rb-node-2")) {
      client.ok(
          "mesh.nodes.join",
          Map.of(
              "node_id", node,
              "providers", List.of("shell"),
              "capabilities", List.of("git"),
              "host", Map.of("os", "linux")));
    }
    client.ok(
        "mesh.nodes.remove",
        Map.of("node_id", "rb-node-2", "removed_by", "rebuild-test", "reason", "retired"));
  }

  void plan() {
    PlanFixtures.parent(client, "rb-parent");
    String pid =
        PlanFixtures.create(
                client,
                "rb-parent",
                false,
                List.of(
                    PlanFixtures.solo("rb-s1", "first"),
                    PlanFixtures.solo("rb-s2", "then", "rb-s1")))
            .path("plan_id")
            .asText();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              PlanFixtures.work(client, Set.of());
              return PlanFixtures.status(client, pid).equals("completed");
            });
    await().atMost(WAIT).until(() -> status("rb-parent").equals("completed"));
  }

  void collab() {
    Map<String, Object> t = new HashMap<>();
    t.put("task_id", "rb-collab");
    t.put("title", "Collab rebuild");
    t.put("scope", List.of("a", "b"));
    t.put("collaboration", Map.of("max_nodes", 2, "min_nodes", 2));
    String sid = client.task("submit", t).path("collab_session_id").asText();
    client.awaitSession(sid, WAIT);
    Dispatcher d = client.connection().createDispatcher();
    client.answerAliveChecks(d, "cn1");
    client.answerAliveChecks(d, "cn2");
    for (String n : List.of("cn1", "cn2")) {
      client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", n));
    }
    awaitRound(sid, 1);
    reflect(sid, "cn1", "continue", 1);
    reflect(sid, "cn2", "converged", 1);
    awaitRound(sid, 2);
    reflect(sid, "cn1", "converged", 2);
    reflect(sid, "cn2", "converged", 2);
    await().atMost(WAIT).until(() -> session(sid).path("status").asText().equals("completed"));
    await().atMost(WAIT).until(() -> status("rb-collab").equals("completed"));
    client.connection().closeDispatcher(d);
  }

  /** Claims go by priority (the preferred task first), so each claim below knows its task. */
  void tasks() {
    submit("rb-a", Map.of("priority", 9, "tags", List.of("x", "y")));
    submit("rb-b", Map.of("depends_on", List.of("rb-a")));
    submit("rb-c", Map.of("depends_on", List.of("rb-a", "rb-b"), "priority", 3));
    submit("rb-waiting", Map.of("depends_on", List.of("rb-a")));
    submit("rb-rel", Map.of("priority", 8));
    submit("rb-fail", Map.of("priority", 7, "preferred_nodes", List.of("tn2")));
    client.task("cancel", Map.of("task_id", "rb-waiting"));
    JsonNode a = claim("tn1", "rb-a");
    client.task("start", fenced(a));
    client.task("attempt", fenced(a, "approach", "first", "result", "no", "keep", false));
    client.task("attempt", fenced(a, "approach", "second", "result", "yes", "keep", true));
    client.task("complete", fenced(a, "result", Map.of("success", true, "summary", "a done")));
    JsonNode f = claim("tn2", "rb-fail");
    client.task("start", fenced(f));
    client.task("attempt", fenced(f, "approach", "only", "result", "red", "keep", false));
    client.task("fail", fenced(f, "reason", "metric failed"));
    JsonNode rel = claim("tn1", "rb-rel");
    client.task("release", fenced(rel));
    JsonNode b = claim("tn1", "rb-b");
    client.task("start", fenced(b));
    client.task("complete", fenced(b));
    JsonNode c = claim("tn3", "rb-c");
    client.task("start", fenced(c));
    submit("rb-queued", Map.of());
  }

  void submit(String id, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("task_id", id);
    body.put("title", "Task " + id);
    client.task("submit", body);
  }

  /** Claims for {@code node}, waiting for a dependency's completion to be projected. */
  JsonNode claim(String node, String expected) {
    JsonNode[] t = new JsonNode[1];
    await()
        .atMost(WAIT)
        .until(
            () -> {
              t[0] = client.task("claim", Map.of("node_id", node));
              return t[0] != null && !t[0].isNull();
            });
    assertThat(t[0].path("task_id").asText()).isEqualTo(expected);
    return t[0];
  }

  Map<String, Object> fenced(JsonNode claimed, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", claimed.path("task_id").asText());
    body.put("node_id", claimed.path("owner").asText());
    body.put("claim_token", claimed.path("claim_token").asLong());
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return body;
  }

  String status(String taskId) {
    return client.task("get", Map.of("task_id", taskId)).path("status").asText();
  }

  JsonNode session(String sid) {
    return client.ok("mesh.collab.status", Map.of("session_id", sid));
  }

  void awaitRound(String sid, int round) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                session(sid).path("current_round").asInt() == round
                    && session(sid).path("status").asText().equals("active"));
  }

  void reflect(String sid, String node, String vote, int round) {
    Map<String, Object> r = new HashMap<>();
    r.put("session_id", sid);
    r.put("node_id", node);
    r.put("round", round);
    r.put("summary", "work of " + node);
    r.put("learnings", "learned by " + node);
    r.put("artifacts", List.of("src/" + node + ".java"));
    r.put("confidence", 0.7);
    r.put("vote", vote);
    client.ok("mesh.collab.reflect", r);
  }
}
