package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.OrchestratorProcess;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Delivery (issue 4, item 5): a member that missed its round notification (it was not subscribed,
 * as a worker that is reconnecting) does not hang the session. It can ask for its assignment, and
 * the orchestrator notifies it again until it reflects.
 */
class CollabRedeliveryIT {

  @Test
  void aMissedRoundNotification_isSentAgain_andTheAssignmentCanBeAskedFor() throws Exception {
    try (TestMesh mesh =
            TestMesh.withoutOrchestrator(
                Map.of("MESH_SWEEP_SECONDS", "0.1", "MESH_COLLAB_RENOTIFY_SECONDS", "1"));
        OrchestratorProcess orchestrator =
            OrchestratorProcess.start(mesh.env()).awaitHealthy(Duration.ofSeconds(60));
        MeshClient client = mesh.client()) {
      Dispatcher d = client.connection().createDispatcher();
      for (String n : List.of("early", "late")) {
        // Both answer alive checks: the late one is alive, it only missed a message.
        client.answerAliveChecks(d, n);
      }
      JsonNode task =
          client.task(
              "submit",
              Map.of(
                  "task_id",
                  "redeliver-1",
                  "title",
                  "Missed notification",
                  "collaboration",
                  Map.of("min_nodes", 2, "max_nodes", 2, "max_rounds", 2)));
      String sid = task.path("collab_session_id").asText();
      List<Integer> early = new CopyOnWriteArrayList<>();
      d.subscribe(
          "mesh.collab." + sid + ".node.early.round",
          m -> early.add(read(m.getData()).path("round_number").asInt()));
      client.awaitSession(sid, Duration.ofSeconds(20));
      client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", "early"));
      client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", "late"));
      await().atMost(Duration.ofSeconds(20)).until(() -> early.contains(1));

      // Only now does the late member listen: round 1's first notification is gone for it.
      List<Integer> late = new CopyOnWriteArrayList<>();
      d.subscribe(
          "mesh.collab." + sid + ".node.late.round",
          m -> late.add(read(m.getData()).path("round_number").asInt()));
      JsonNode assignment =
          client.ok("mesh.collab.assignment", Map.of("session_id", sid, "node_id", "late"));
      assertThat(assignment.path("round_number").asInt()).isEqualTo(1);
      assertThat(assignment.path("reflected").asBoolean()).isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> late.contains(1));

      for (String n : List.of("early", "late")) {
        client.ok(
            "mesh.collab.reflect",
            Map.of(
                "session_id",
                sid,
                "node_id",
                n,
                "summary",
                "done by " + n,
                "confidence",
                0.9,
                "vote",
                "converged"));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  client
                      .ok("mesh.collab.status", Map.of("session_id", sid))
                      .path("status")
                      .asText()
                      .equals("completed"));
      // Once it has reflected, a member is told there is nothing more to do in this round.
      JsonNode after =
          client.ok("mesh.collab.assignment", Map.of("session_id", sid, "node_id", "late"));
      assertThat(after.isNull() || after.path("reflected").asBoolean())
          .as("assignment after the session ended: %s", after)
          .isTrue();
      client.connection().closeDispatcher(d);
    }
  }

  private static JsonNode read(byte[] b) {
    try {
      return Json.mapper().readTree(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
