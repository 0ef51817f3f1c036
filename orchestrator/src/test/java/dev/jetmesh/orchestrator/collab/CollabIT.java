package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Collaboration sessions end to end against a real orchestrator, NATS and Postgres, with workers
 * simulated by NATS clients: they answer alive checks (unless told to go silent), record their
 * round notifications, and reflect on request.
 */
class CollabIT {
  static TestMesh mesh;
  static MeshClient client;
  static final List<String> SESSIONS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    mesh =
        TestMesh.start(
            Map.of("MESH_SWEEP_SECONDS", "0.2", "MESH_STALL_MINUTES", "0.01"), "max_payload: 8MB");
    client = mesh.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    mesh.close();
  }

  /** Simulated workers: alive answers and round notifications per node. */
  static final class Workers {
    final Map<String, List<JsonNode>> rounds = new ConcurrentHashMap<>();
    final Set<String> silent = ConcurrentHashMap.newKeySet();
    final Dispatcher d;

    Workers(String sid, String... nodes) {
      d = client.connection().createDispatcher();
      for (String n : nodes) {
        rounds.put(n, new CopyOnWriteArrayList<>());
        d.subscribe(
            "mesh.collab." + sid + ".node." + n + ".round",
            m -> rounds.get(n).add(read(m.getData())));
        d.subscribe(
            Subjects.agentAlive(n),
            m -> {
              if (!silent.contains(n)) {
                client
                    .connection()
                    .publish(m.getReplyTo(), "{\"alive\":true,\"task_id\":null}".getBytes());
              }
            });
      }
    }

    JsonNode last(String node) {
      List<JsonNode> l = rounds.get(node);
      return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    void close() {
      client.connection().closeDispatcher(d);
    }
  }

  static JsonNode read(byte[] b) {
    try {
      return Json.mapper().readTree(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String submit(String taskId, Map<String, Object> collaboration, List<String> scope) {
    Map<String, Object> t = new HashMap<>();
    t.put("task_id", taskId);
    t.put("title", "Collab " + taskId);
    t.put("scope", scope);
    t.put("collaboration", collaboration);
    JsonNode task = client.task("submit", t);
    String sid = task.path("collab_session_id").asText();
    assertThat(sid).startsWith("collab-" + taskId + "-");
    client.awaitSession(sid, Duration.ofSeconds(10));
    SESSIONS.add(sid);
    return sid;
  }

  static JsonNode status(String sid) {
    return client.ok("mesh.collab.status", Map.of("session_id", sid));
  }

  static void join(String sid, String... nodes) {
    for (String n : nodes) {
      client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", n));
    }
  }

  static JsonNode reflect(String sid, String node, String vote, Object... extra) {
    Map<String, Object> r = new HashMap<>();
    r.put("session_id", sid);
    r.put("node_id", node);
    r.put("summary", "work of " + node);
    r.put("learnings", "learned by " + node);
    r.put("artifacts", List.of("src/" + node + ".java"));
    r.put("confidence", 0.8);
    r.put("vote", vote);
    for (int i = 0; i < extra.length; i += 2) {
      r.put((String) extra[i], extra[i + 1]);
    }
    return client.ok("mesh.collab.reflect", r);
  }

  static void awaitRound(String sid, int round) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                status(sid).path("current_round").asInt() == round
                    && "active".equals(status(sid).path("status").asText()));
  }

  static JsonNode awaitEnd(String sid) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Set.of("completed", "aborted").contains(status(sid).path("status").asText()));
    return status(sid);
  }

  static List<StoredEvent> events(String sid) {
    return mesh.orchestrator().store().read(Subjects.collabEvents(sid));
  }

  static long count(String sid, String type) {
    return events(sid).stream().filter(e -> e.envelope().type().equals(type)).count();
  }

  static JsonNode task(String id) {
    return client.task("get", Map.of("task_id", id));
  }

  @Test
  void unanimous_threeMembers_convergeInRound2_andCompleteTheParent() {
    String sid = submit("una", Map.of("max_nodes", 3, "min_nodes", 3), List.of("a", "b", "c"));
    Workers w = new Workers(sid, "n1", "n2", "n3");
    join(sid, "n1", "n2", "n3");
    awaitRound(sid, 1);
    await().until(() -> w.last("n3") != null);
    assertThat(w.last("n1").path("shared_intel").asText()).isEmpty();
    assertThat(w.last("n1").path("my_scope").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    reflect(sid, "n1", "continue");
    reflect(sid, "n2", "converged");
    reflect(sid, "n3", "converged");
    awaitRound(sid, 2);
    await().until(() -> w.last("n2").path("round_number").asInt() == 2);
    String intel = w.last("n2").path("shared_intel").asText();
    assertThat(intel)
        .isEqualTo(
            "=== ROUND 1 SHARED INTELLIGENCE ===\n\n## Node: n1\nSummary: work of n1\nLearnings: learned by n1\n"
                + "Artifacts: src/n1.java\nConfidence: 0.8 | Vote: continue\n\n## Node: n2\nSummary: work of n2\n"
                + "Learnings: learned by n2\nArtifacts: src/n2.java\nConfidence: 0.8 | Vote: converged\n\n"
                + "## Node: n3\nSummary: work of n3\nLearnings: learned by n3\nArtifacts: src/n3.java\n"
                + "Confidence: 0.8 | Vote: converged\n\n=== CONVERGENCE: 2/3 voted converged. ===");
    for (String n : List.of("n1", "n2", "n3")) {
      reflect(sid, n, "converged", "round", 2);
    }
    JsonNode end = awaitEnd(sid);
    assertThat(end.path("status").asText()).isEqualTo("completed");
    await().until(() -> task("una").path("status").asText().equals("completed"));
    JsonNode result = task("una").path("result");
    assertThat(result.path("summary").asText()).isEqualTo("Converged after 2 rounds with 3 nodes");
    assertThat(result.path("rounds_taken").asInt()).isEqualTo(2);
    assertThat(result.path("node_contributions").path("n1").asText()).isEqualTo("work of n1");
    assertThat(result.path("artifacts")).hasSize(3);
    assertThat(count(sid, "collab.round_evaluated")).isEqualTo(2);
    assertThat(count(sid, "collab.converged")).isEqualTo(1);
    w.close();
  }

  @Test
  void majority_withOneParseFailure_convergesOnTheValidVotes() {
    String sid =
        submit(
            "maj",
            Map.of(
                "max_nodes",
                3,
                "convergence",
                Map.of("type", "majority", "threshold", 0.66, "min_quorum", 2)),
            List.of());
    Workers w = new Workers(sid, "m1", "m2", "m3");
    join(sid, "m1", "m2", "m3");
    awaitRound(sid, 1);
    reflect(sid, "m1", "converged");
    reflect(sid, "m2", "converged");
    reflect(sid, "m3", "parse_error", "parse_failed", true);
    assertThat(awaitEnd(sid).path("status").asText()).isEqualTo("completed");
    StoredEvent ev =
        events(sid).stream()
            .filter(e -> e.envelope().type().equals("collab.round_evaluated"))
            .findFirst()
            .orElseThrow();
    JsonNode p = Json.mapper().valueToTree(ev.event());
    assertThat(p.path("tally").path("valid").asInt()).isEqualTo(2);
    assertThat(p.path("tally").path("parse_failed").asInt()).isEqualTo(1);
    assertThat(p.path("converged").asBoolean()).isTrue();
    w.close();
  }

  @Test
  void sequential_notifiesOnlyTheTurn_andPassesIntraRoundIntel() {
    String sid =
        submit("seq", Map.of("mode", "sequential", "max_nodes", 3, "max_rounds", 1), List.of());
    Workers w = new Workers(sid, "s1", "s2", "s3");
    join(sid, "s1", "s2", "s3");
    awaitRound(sid, 1);
    await().until(() -> w.last("s1") != null);
    assertThat(w.last("s1").path("current_turn").asText()).isEqualTo("s1");
    assertThat(w.rounds.get("s2")).isEmpty();
    assertThat(
            client.error(
                "mesh.collab.reflect",
                Map.of("session_id", sid, "node_id", "s2", "vote", "continue")))
        .isEqualTo("Not your turn: round 1 of session " + sid + " is at node s1");
    reflect(sid, "s1", "continue");
    await().until(() -> w.last("s2") != null);
    assertThat(w.last("s2").path("shared_intel").asText())
        .isEqualTo(
            "\n\n=== INTRA-ROUND 1 (turns so far) ===\n\n## Turn: s1\nSummary: work of s1\n"
                + "Learnings: learned by s1\nArtifacts: src/s1.java\nConfidence: 0.8 | Vote: continue\n");
    assertThat(w.rounds.get("s3")).isEmpty();
    reflect(sid, "s2", "continue");
    await().until(() -> w.last("s3") != null);
    assertThat(w.last("s3").path("shared_intel").asText())
        .contains("## Turn: s1")
        .contains("## Turn: s2");
    reflect(sid, "s3", "converged");
    JsonNode end = awaitEnd(sid);
    assertThat(end.path("status").asText()).isEqualTo("completed");
    await().until(() -> task("seq").path("result").path("max_rounds_reached").asBoolean());
    assertThat(task("seq").path("result").path("summary").asText())
        .isEqualTo("Max rounds (1) reached. 3 nodes participated.");
    assertThat(count(sid, "collab.turn_advanced")).isEqualTo(3);
    w.close();
  }

  @Test
  void review_hasAWritingLeader_andReadOnlyReviewers() {
    String sid =
        submit(
            "rev",
            Map.of("mode", "review", "max_nodes", 3, "max_rounds", 1),
            List.of("src/a", "src/b"));
    Workers w = new Workers(sid, "r1", "r2", "r3");
    join(sid, "r1", "r2", "r3");
    await().until(() -> w.last("r3") != null && w.last("r1") != null);
    assertThat(w.last("r1").path("my_role").asText()).isEqualTo("leader");
    assertThat(w.last("r1").path("my_scope").toString()).isEqualTo("[\"src/a\",\"src/b\"]");
    assertThat(w.last("r2").path("my_role").asText()).isEqualTo("reviewer");
    assertThat(w.last("r3").path("my_scope").toString())
        .isEqualTo("[\"[REVIEW-ONLY] src/a\",\"[REVIEW-ONLY] src/b\"]");
    for (String n : List.of("r1", "r2", "r3")) {
      reflect(sid, n, "converged");
    }
    assertThat(awaitEnd(sid).path("status").asText()).isEqualTo("completed");
    w.close();
  }

  @Test
  void partitioned_splitsTheScope_andAssignmentAnswersAMissedNotification() {
    String sid =
        submit(
            "part",
            Map.of("scope_strategy", "partitioned", "max_nodes", 2, "max_rounds", 1),
            List.of("x", "y", "z"));
    join(sid, "p1", "p2");
    awaitRound(sid, 1);
    JsonNode a1 = client.ok("mesh.collab.assignment", Map.of("session_id", sid, "node_id", "p1"));
    JsonNode a2 = client.ok("mesh.collab.assignment", Map.of("session_id", sid, "node_id", "p2"));
    assertThat(a1.path("my_scope").toString()).isEqualTo("[\"x\",\"z\"]");
    assertThat(a2.path("my_scope").toString()).isEqualTo("[\"y\"]");
    assertThat(a1.path("round_number").asInt()).isEqualTo(1);
    assertThat(client.error("mesh.collab.assignment", Map.of("session_id", sid, "node_id", "zz")))
        .isEqualTo("Node zz is not a member of session " + sid);
    reflect(sid, "p1", "converged");
    reflect(sid, "p2", "converged");
    awaitEnd(sid);
  }

  @Test
  void coordinator_convergesOnTheCoordinatorsVote() {
    String sid =
        submit(
            "coord",
            Map.of(
                "max_nodes",
                2,
                "convergence",
                Map.of("type", "coordinator", "coordinator", "boss")),
            List.of());
    join(sid, "c1", "c2");
    awaitRound(sid, 1);
    reflect(sid, "c1", "continue");
    reflect(sid, "c2", "continue");
    assertThat(
            client.error(
                "mesh.collab.vote",
                Map.of("session_id", sid, "node_id", "c1", "vote", "converged")))
        .isEqualTo("Node c1 is not the coordinator of session " + sid + " (coordinator: boss)");
    assertThat(
            client.error(
                "mesh.collab.vote",
                Map.of("session_id", sid, "node_id", "boss", "vote", "blocked")))
        .isEqualTo("Invalid vote 'blocked': must be converged or continue");
    // all reflected, but the round waits for the coordinator
    assertThat(status(sid).path("current_round").asInt()).isEqualTo(1);
    client.ok(
        "mesh.collab.vote",
        Map.of("session_id", sid, "node_id", "boss", "vote", "converged", "round", 1));
    assertThat(awaitEnd(sid).path("status").asText()).isEqualTo("completed");
    assertThat(count(sid, "collab.converged")).isEqualTo(1);
  }

  @Test
  void metric_convergesWhenEveryValidReflectionReportsThePassingMetric() {
    String sid =
        submit(
            "metric",
            Map.of("max_nodes", 2, "convergence", Map.of("type", "metric", "metric", "true")),
            List.of());
    join(sid, "t1", "t2");
    awaitRound(sid, 1);
    reflect(sid, "t1", "converged", "metric_passed", true);
    reflect(sid, "t2", "converged", "metric_passed", false);
    awaitRound(sid, 2);
    reflect(sid, "t1", "continue", "metric_passed", true);
    reflect(sid, "t2", "continue", "metric_passed", true);
    assertThat(awaitEnd(sid).path("status").asText()).isEqualTo("completed");
    await()
        .until(
            () ->
                task("metric")
                    .path("result")
                    .path("summary")
                    .asText()
                    .equals("Converged after 2 rounds with 2 nodes"));
  }

  @Test
  void silentMember_isMarkedDead_andTheSessionContinues() {
    String sid =
        submit("silent", Map.of("max_nodes", 3, "min_nodes", 2, "max_rounds", 2), List.of());
    Workers w = new Workers(sid, "d1", "d2", "d3");
    w.silent.add("d3");
    join(sid, "d1", "d2", "d3");
    awaitRound(sid, 1);
    reflect(sid, "d1", "continue");
    reflect(sid, "d2", "continue");
    awaitRound(sid, 2);
    assertThat(count(sid, "collab.node_marked_dead")).isEqualTo(1);
    assertThat(status(sid).path("nodes")).hasSize(2);
    reflect(sid, "d1", "converged");
    reflect(sid, "d2", "converged");
    assertThat(awaitEnd(sid).path("status").asText()).isEqualTo("completed");
    w.close();
  }

  @Test
  void silentMembers_belowMinNodes_abortTheSession_andFailTheParent() {
    String sid = submit("abort", Map.of("max_nodes", 3, "min_nodes", 3), List.of());
    Workers w = new Workers(sid, "e1", "e2", "e3");
    w.silent.add("e3");
    join(sid, "e1", "e2", "e3");
    awaitRound(sid, 1);
    reflect(sid, "e1", "continue");
    reflect(sid, "e2", "continue");
    JsonNode end = awaitEnd(sid);
    assertThat(end.path("status").asText()).isEqualTo("aborted");
    await().until(() -> task("abort").path("status").asText().equals("failed"));
    assertThat(task("abort").path("result").path("summary").asText())
        .isEqualTo("Collab aborted: too few active nodes (2 < 3)");
    w.close();
  }

  @Test
  void roundTimeout_marksAnAliveButSilentMemberDead() {
    String sid =
        submit(
            "timeout",
            Map.of("max_nodes", 2, "min_nodes", 1, "max_rounds", 1, "round_timeout_s", 1),
            List.of());
    Workers w = new Workers(sid, "o1", "o2"); // both answer alive checks
    join(sid, "o1", "o2");
    awaitRound(sid, 1);
    reflect(sid, "o1", "converged");
    JsonNode end = awaitEnd(sid);
    assertThat(end.path("status").asText()).isEqualTo("completed");
    assertThat(
            events(sid).stream()
                .filter(e -> e.envelope().type().equals("collab.node_marked_dead"))
                .map(e -> Json.mapper().valueToTree(e.event()).path("reason").asText())
                .toList())
        .containsExactly("round timeout");
    w.close();
  }

  @Test
  void leave_belowMinNodes_abortsTheSession() {
    String sid = submit("leave", Map.of("max_nodes", 2), List.of());
    join(sid, "l1", "l2");
    awaitRound(sid, 1);
    JsonNode s =
        client.ok("mesh.collab.leave", Map.of("session_id", sid, "node_id", "l2", "reason", "bye"));
    assertThat(s.path("status").asText()).isEqualTo("aborted");
    assertThat(s.path("abort_reason").asText()).isEqualTo("Below min_nodes: 1 < 2");
    await().until(() -> task("leave").path("status").asText().equals("failed"));
  }

  @Test
  void wireErrors_keepTheReferenceStrings() {
    String sid = submit("wire", Map.of("max_nodes", 2), List.of());
    assertThat(client.error("mesh.collab.join", Map.of("session_id", sid)))
        .isEqualTo("session_id and node_id required");
    join(sid, "w1");
    assertThat(client.error("mesh.collab.join", Map.of("session_id", sid, "node_id", "w1")))
        .isEqualTo("Cannot join " + sid + ": full, closed, or already joined");
    assertThat(client.error("mesh.collab.status", Map.of())).isEqualTo("session_id required");
    assertThat(client.error("mesh.collab.status", Map.of("session_id", "nope")))
        .isEqualTo("Session nope not found");
    assertThat(client.error("mesh.collab.leave", Map.of("session_id", "nope", "node_id", "x")))
        .isEqualTo("Session nope not found");
    assertThat(client.error("mesh.collab.create", Map.of())).isEqualTo("task_id is required");
    assertThat(client.error("mesh.collab.create", Map.of("task_id", "ghost")))
        .isEqualTo("Task ghost not found");
    client.task("submit", Map.of("task_id", "plain", "title", "no collab"));
    assertThat(client.error("mesh.collab.create", Map.of("task_id", "plain")))
        .isEqualTo("Task plain has no collaboration spec");
    assertThat(client.error("mesh.collab.create", Map.of("task_id", "wire")))
        .isEqualTo("Session already exists for task wire: " + sid);
    assertThat(client.error("mesh.collab.reflect", Map.of("session_id", sid, "node_id", "w1")))
        .isEqualTo("Cannot submit reflection to " + sid);
    assertThat(client.ok("mesh.collab.find", Map.of("task_id", "wire")).path("session_id").asText())
        .isEqualTo(sid);
    assertThat(client.ok("mesh.collab.find", Map.of("task_id", "plain")).isNull()).isTrue();
    JsonNode rec = client.ok("mesh.collab.recruiting", Map.of());
    assertThat(rec.toString()).contains(sid);
    assertThat(
            client.taskError(
                "submit",
                Map.of(
                    "task_id", "badspec", "title", "t", "collaboration", Map.of("mode", "chaos"))))
        .isEqualTo("Invalid collaboration spec: mode must be parallel, sequential or review");
    assertThat(
            client.taskError(
                "submit",
                Map.of(
                    "task_id",
                    "badtype",
                    "title",
                    "t",
                    "collaboration",
                    Map.of("convergence", Map.of("type", "foo")))))
        .isEqualTo(
            "Invalid collaboration spec: convergence.type must be unanimous, majority,"
                + " coordinator or metric");
  }

  @Test
  void badReflections_getClearErrors_andAppendNothing() {
    String sid = submit("bad", Map.of("max_nodes", 2), List.of());
    join(sid, "b1", "b2");
    awaitRound(sid, 1);
    reflect(sid, "b1", "continue");
    long before = events(sid).size();
    Map<String, Object> base = Map.of("session_id", sid, "node_id", "b2", "vote", "continue");
    assertThat(client.error("mesh.collab.reflect", with(base, "round", 2)))
        .isEqualTo("Reflection for round 2, but session " + sid + " is in round 1");
    assertThat(client.error("mesh.collab.reflect", with(base, "node_id", "stranger")))
        .isEqualTo("Node stranger is not a member of session " + sid);
    assertThat(client.error("mesh.collab.reflect", with(base, "node_id", "b1")))
        .isEqualTo("Cannot submit reflection to " + sid);
    assertThat(client.error("mesh.collab.reflect", with(base, "confidence", 1.5)))
        .isEqualTo("confidence must be a number between 0 and 1: 1.5");
    assertThat(client.error("mesh.collab.reflect", with(base, "confidence", -0.1)))
        .isEqualTo("confidence must be a number between 0 and 1: -0.1");
    assertThat(client.error("mesh.collab.reflect", with(base, "vote", "maybe")))
        .isEqualTo("Invalid vote 'maybe': must be continue, converged or blocked");
    assertThat(client.error("mesh.collab.reflect", with(base, "summary", "x".repeat(40_000))))
        .isEqualTo("summary is too long: 40000 characters (max 32768)");
    assertThat(
            client.error("mesh.collab.reflect", with(base, "summary", "x".repeat(2 * 1024 * 1024))))
        .startsWith("Payload too large: ");
    assertThat(events(sid)).hasSize((int) before);
  }

  static Map<String, Object> with(Map<String, Object> base, String k, Object v) {
    Map<String, Object> m = new HashMap<>(base);
    m.put(k, v);
    return m;
  }

  @Test
  void zz_replayOfEverySession_reproducesTheLiveDecisions() throws Exception {
    assertThat(SESSIONS).isNotEmpty();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    List<String> bad = new ArrayList<>();
    for (String sid : SESSIONS) {
      CollabReplay.Report r = CollabReplay.replay(sid, events(sid));
      if (r.mismatches() != 0) {
        bad.add(r.text());
      }
      var resp =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://127.0.0.1:"
                              + mesh.orchestrator().httpPort()
                              + "/api/collab/"
                              + sid
                              + "/replay"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(Json.mapper().readTree(resp.body()).path("mismatches").asInt()).isZero();
    }
    assertThat(bad).isEmpty();
  }
}
