package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code MESH_STRICT_CLAIMS=false}: the reference agent, which sends neither {@code node_id} nor
 * {@code claim_token}, is served unfenced (docs/security.md). Under the default (strict) the same
 * requests are refused: {@link TaskGuardsIT}.
 */
class LegacyClientsIT {
  static TaskMesh tasks;
  static MeshClient client;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of("MESH_STRICT_CLAIMS", "false"));
    client = tasks.client();
  }

  @AfterAll
  static void down() {
    tasks.close();
  }

  @Test
  void compatible_requestsWithoutNodeIdOrToken_areAccepted() {
    tasks.submitAndClaim("leg-1", "leg-node");
    assertThat(client.task("start", Map.of("task_id", "leg-1")).path("status").asText())
        .isEqualTo("running");
    client.task(
        "attempt",
        Map.of(
            "task_id",
            "leg-1",
            "approach",
            "Attempt 1: executed without metric",
            "result",
            "ok",
            "keep",
            true));
    client.task("heartbeat", Map.of("task_id", "leg-1", "activity_state", "working"));
    JsonNode done =
        client.task(
            "complete",
            Map.of("task_id", "leg-1", "result", Map.of("success", true, "summary", "s")));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("owner").asText()).isEqualTo("leg-node");
    assertThat(done.path("attempts")).hasSize(1);
  }
}
