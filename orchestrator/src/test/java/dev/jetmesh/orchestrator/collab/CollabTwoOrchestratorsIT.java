package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.OrchestratorProcess;
import dev.jetmesh.orchestrator.testing.ReplayCli;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Dispatcher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two orchestrator processes on one stream and one database during collaboration sessions driven by
 * simulated members (NATS clients that answer alive checks, record their round notifications and
 * reflect once notified): every round is started and evaluated exactly once, whichever orchestrator
 * projects and reacts first; after {@code kill -9} of one of them mid-session the other finishes
 * the session alone. Both sessions are replayed by the real {@code jetmesh collab replay} command.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CollabTwoOrchestratorsIT {
  private static final List<String> NODES = List.of("two-1", "two-2", "two-3");
  private static final int CONVERGE_IN = 4;

  static TestMesh mesh;
  static MeshClient client;
  static OrchestratorProcess one;
  static OrchestratorProcess two;

  @BeforeAll
  static void start() {
    // Short sweeps, alive checks of members silent for 1.2 s, re-notification every second: both
    // orchestrators' timers compete for every decision.
    mesh =
        TestMesh.withoutOrchestrator(
            Map.of(
                "MESH_SWEEP_SECONDS", "0.1",
                "MESH_STALL_MINUTES", "0.02",
                "MESH_ALIVE_TIMEOUT_MS", "2000",
                "MESH_COLLAB_RENOTIFY_SECONDS", "1"));
    one = OrchestratorProcess.start(mesh.env());
    two = OrchestratorProcess.start(mesh.env());
    one.awaitHealthy(Duration.ofSeconds(60));
    two.awaitHealthy(Duration.ofSeconds(60));
    client = mesh.client();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    for (OrchestratorProcess o : new OrchestratorProcess[] {one, two}) {
      if (o != null) {
        o.close();
      }
    }
    mesh.close();
  }

  /** Simulated members: they answer alive checks and record the rounds they are notified of. */
  static final class Members implements AutoCloseable {
    final String sid;
    final Map<String, List<Integer>> notified = new ConcurrentHashMap<>();
    final Dispatcher d;

    Members(String sid) {
      this.sid = sid;
      d = client.connection().createDispatcher();
      for (String n : NODES) {
        notified.put(n, new CopyOnWriteArrayList<>());
        d.subscribe(
            "mesh.collab." + sid + ".node." + n + ".round",
            m -> notified.get(n).add(read(m.getData()).path("round_number").asInt()));
        client.answerAliveChecks(d, n);
      }
    }

    void join() {
      for (String n : NODES) {
        client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", n));
      }
    }

    /** Waits until every member was notified of {@code round}, then each reflects on it. */
    void work(int round) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> notified.values().stream().allMatch(l -> l.contains(round)));
      for (String n : NODES) {
        client.ok(
            "mesh.collab.reflect",
            Map.of(
                "session_id",
                sid,
                "node_id",
                n,
                "round",
                round,
                "summary",
                "round " + round + " by " + n,
                "confidence",
                0.7,
                "vote",
                round >= CONVERGE_IN ? "converged" : "continue"));
      }
    }

    @Override
    public void close() {
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

  static String submit(String taskId) {
    return client.submitCollab(
        Map.of(
            "task_id",
            taskId,
            "title",
            "Two orchestrators, " + taskId,
            "collaboration",
            Map.of("min_nodes", 3, "max_nodes", 3, "max_rounds", CONVERGE_IN + 2)),
        Duration.ofSeconds(20));
  }

  static String status(String sid) {
    return client.ok("mesh.collab.status", Map.of("session_id", sid)).path("status").asText();
  }

  /** {@code round_number -> count} of the session's events of {@code type} in the event log. */
  static Map<Integer, Long> perRound(String sid, String type) throws SQLException {
    Map<Integer, Long> out = new TreeMap<>();
    try (Connection c = mesh.db().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (payload->>'round_number')::int AS round, count(*) AS n FROM event_log"
                    + " WHERE aggregate_id = ? AND type = ? GROUP BY 1 ORDER BY 1")) {
      ps.setString(1, sid);
      ps.setString(2, type);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt("round"), rs.getLong("n"));
        }
      }
    }
    return out;
  }

  /** The session's event types as the stream has them, with their counts. */
  static Map<String, Long> streamCounts(String sid) {
    List<StoredEvent> events =
        new EventStore(client.connection(), Subjects.DEFAULT_STREAM)
            .read(Subjects.collabEvents(sid));
    return events.stream()
        .collect(
            Collectors.groupingBy(e -> e.envelope().type(), TreeMap::new, Collectors.counting()));
  }

  /** Every round started and evaluated once, in the stream and in the read model. */
  static void assertEachRoundDecidedOnce(String sid) throws SQLException {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> perRound(sid, "collab.round_evaluated").size() == CONVERGE_IN);
    Map<Integer, Long> once = new TreeMap<>();
    for (int r = 1; r <= CONVERGE_IN; r++) {
      once.put(r, 1L);
    }
    assertThat(perRound(sid, "collab.round_evaluated")).isEqualTo(once);
    assertThat(perRound(sid, "collab.round_started")).isEqualTo(once);
    Map<String, Long> stream = streamCounts(sid);
    assertThat(stream)
        .containsEntry("collab.session_created", 1L)
        .containsEntry("collab.recruiting_closed", 1L)
        .containsEntry("collab.round_started", (long) CONVERGE_IN)
        .containsEntry("collab.round_evaluated", (long) CONVERGE_IN)
        .containsEntry("collab.reflection_submitted", (long) CONVERGE_IN * NODES.size())
        .containsEntry("collab.converged", 1L)
        .containsEntry("collab.completed", 1L)
        .doesNotContainKeys("collab.node_marked_dead", "collab.aborted");
  }

  @Test
  @Order(1)
  void bothRunning_everyRoundIsStartedAndEvaluatedExactlyOnce() throws Exception {
    String sid = submit("two-orch-a");
    try (Members m = new Members(sid)) {
      m.join();
      for (int r = 1; r <= CONVERGE_IN; r++) {
        m.work(r);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> status(sid).equals("completed"));
    }
    assertEachRoundDecidedOnce(sid);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client
                    .task("get", Map.of("task_id", "two-orch-a"))
                    .path("status")
                    .asText()
                    .equals("completed"));
    ReplayCli.assertReproduces(mesh.env(), sid);
  }

  @Test
  @Order(2)
  void kill9OfOneOrchestratorMidSession_theOtherFinishesIt() throws Exception {
    String sid = submit("two-orch-b");
    try (Members m = new Members(sid)) {
      m.join();
      m.work(1);
      // kill one orchestrator right after round 2's last reflection, while its decision is due
      m.work(2);
      one.kill9();
      for (int r = 3; r <= CONVERGE_IN; r++) {
        m.work(r);
      }
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> status(sid).equals("completed"));
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("survivor did not finish; its log:\n" + two.log(), e);
      }
    }
    assertEachRoundDecidedOnce(sid);
    JsonNode task =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> client.task("get", Map.of("task_id", "two-orch-b")),
                t -> t.path("status").asText().equals("completed"));
    assertThat(task.path("result").path("summary").asText())
        .isEqualTo("Converged after " + CONVERGE_IN + " rounds with 3 nodes");
    ReplayCli.assertReproduces(mesh.env(), sid);
  }
}
