package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TaskSmokeIT {
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  @Test
  void submit_claim_start_complete_isProjected() {
    JsonNode t = client.task("submit", Map.of("task_id", "smoke-1", "title", "Smoke"));
    assertThat(t.path("status").asText()).isEqualTo("queued");
    mesh.awaitProjected();
    JsonNode c = client.task("claim", Map.of("node_id", "n1"));
    assertThat(c.path("task_id").asText()).isEqualTo("smoke-1");
    long token = c.path("claim_token").asLong();
    client.task("start", Map.of("task_id", "smoke-1", "node_id", "n1", "claim_token", token));
    JsonNode done =
        client.task(
            "complete", Map.of("task_id", "smoke-1", "node_id", "n1", "claim_token", token));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    JsonNode list = client.task("list", Map.of("status", "completed"));
    assertThat(list).hasSize(1);
  }
}
