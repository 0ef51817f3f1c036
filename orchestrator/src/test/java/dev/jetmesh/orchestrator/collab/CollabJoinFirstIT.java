package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.events.TaskEvent.TaskClaimed;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.TaskSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node that joins a task's session before anyone created it is let in: the join creates it. Here
 * the task's submission is in the stream without its session, as after a crash between the two
 * appends, and nothing projects while this test holds the projector's lock (as another orchestrator
 * would), so the reactor cannot create it first.
 */
class CollabJoinFirstIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void joinBeforeTheSessionWasCreated_createsIt_once() throws Exception {
    try (TestMesh mesh = TestMesh.withoutOrchestrator(Map.of());
        Connection lock = mesh.holdProjectorLock()) {
      mesh.startOrchestrator();
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      appendWithoutSession(mesh, "early", at);
      String sid = CollabSpec.sessionIdFor("early", at);
      try (MeshClient client = mesh.client()) {
        JsonNode joined = joinMissing(client, sid, "n-early");
        assertThat(joined.path("session_id").asText()).isEqualTo(sid);
        assertThat(joined.path("task_id").asText()).isEqualTo("early");
        assertThat(client.ok("mesh.collab.status", Map.of("session_id", sid)).path("nodes"))
            .extracting(n -> n.path("node_id").asText())
            .containsExactly("n-early");

        // A session id that the task does not announce is still refused, and nothing is created.
        String other = CollabSpec.sessionIdFor("early", at.plusMillis(1));
        assertThat(client.error("mesh.collab.join", Map.of("session_id", other, "node_id", "n2")))
            .startsWith("Cannot join " + other);
        assertThat(client.error("mesh.collab.status", Map.of("session_id", other)))
            .isEqualTo("Session " + other + " not found");

        lock.close(); // the orchestrator leads, projects, and its reactor tries to create it too
        await().atMost(WAIT).until(() -> types(mesh, sid).size() == 2);
        client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", "n-late"));
        await().atMost(WAIT).until(() -> types(mesh, sid).size() == 3);
        assertThat(types(mesh, sid))
            .containsExactly("collab.session_created", "collab.node_joined", "collab.node_joined");
        assertThat(types(mesh, other)).isEmpty();
      }
    }
  }

  @Test
  void aTaskIdTooLongToReadBackFromItsSessionId_isFoundInTheReadModel() throws Exception {
    String id = "long-" + "x".repeat(185);
    try (TestMesh mesh = TestMesh.withoutOrchestrator(Map.of());
        Connection lock = mesh.holdProjectorLock()) {
      mesh.startOrchestrator();
      Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      // Submitted and claimed with no session (a crash after the submission): once projected, the
      // reactor and the sweep create sessions only for queued tasks, so only the owner's join can.
      appendWithoutSession(mesh, id, at, new TaskClaimed("n-owner", at.plusSeconds(1800)));
      String sid = CollabSpec.sessionIdFor(id, at);
      assertThat(CollabSpec.taskIdOf(sid)).isNotEqualTo(id);
      lock.close();
      mesh.awaitProjected();
      try (MeshClient client = mesh.client()) {
        JsonNode joined = joinMissing(client, sid, "n-owner");
        assertThat(joined.path("task_id").asText()).isEqualTo(id);
        await().atMost(WAIT).until(() -> types(mesh, sid).size() == 2);
        assertThat(types(mesh, sid))
            .containsExactly("collab.session_created", "collab.node_joined");
      }
    }
  }

  /**
   * Appends task {@code id}'s submission at {@code at}, and {@code then}, straight to the stream:
   * the submit path, which creates the session, does not run.
   */
  private static void appendWithoutSession(
      TestMesh mesh, String id, Instant at, TaskEvent... then) {
    List<Envelope> events = new ArrayList<>();
    events.add(Envelope.wrap(new TaskSubmitted(collabTask(id)), id, "test", null, at));
    for (TaskEvent e : then) {
      events.add(Envelope.wrap(e, id, "test", null, at));
    }
    mesh.orchestrator().store().appendAll(Subjects.taskEvents(id), events, 0);
  }

  /** Joins session {@code sid}, which nobody has created: the join creates it. */
  private static JsonNode joinMissing(MeshClient client, String sid, String node) {
    assertThat(client.error("mesh.collab.status", Map.of("session_id", sid)))
        .as("nobody created it")
        .isEqualTo("Session " + sid + " not found");
    return client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", node));
  }

  private static TaskSpec collabTask(String id) {
    TaskSpec.Mutable m = TaskSpec.withDefaults(id, "Joined early", "").toMutable();
    // a join window longer than the test, so that the sweep does not close recruiting
    m.collaboration =
        Json.mapper()
            .createObjectNode()
            .put("mode", "parallel")
            .put("min_nodes", 2)
            .put("join_window_s", 600);
    return m.build();
  }

  /** The projected events of aggregate {@code id}, in stream order. */
  private static List<String> types(TestMesh mesh, String id) throws Exception {
    try (Connection c = mesh.db().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT type FROM event_log WHERE aggregate_id = ? ORDER BY seq")) {
      ps.setString(1, id);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }
}
