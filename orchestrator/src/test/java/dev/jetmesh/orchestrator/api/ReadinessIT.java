package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} turns 503 while the read models are more than {@code MESH_READY_MAX_LAG} events
 * behind the stream, and 200 once they catch up, while {@code /health} (liveness) stays 200.
 * Nothing projects while this test holds the projector's lock (as another orchestrator would), so
 * the commands it sends pile up in the stream unprojected.
 */
class ReadinessIT {
  @Test
  void ready_is503WhileTheReadModelsLag_and200OnceTheyCatchUp() throws Exception {
    try (TestMesh mesh = TestMesh.withoutOrchestrator(Map.of("MESH_READY_MAX_LAG", "2"));
        Connection lock = mesh.holdProjectorLock()) {
      mesh.startOrchestrator();
      Http http = new Http(mesh.orchestrator().httpPort());
      try (MeshClient client = mesh.client()) {
        for (int i = 1; i <= 3; i++) {
          client.task("submit", Map.of("task_id", "lag-" + i, "title", "lag " + i));
        }
        HttpResponse<String> r = http.get("/ready");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode b = Http.parse(r.body());
        assertThat(b.path("ok").asBoolean()).isFalse();
        assertThat(b.path("nats").asBoolean()).isTrue();
        assertThat(b.path("postgres").asBoolean()).isTrue();
        assertThat(b.path("projection_lag").asLong()).isEqualTo(3);
        assertThat(b.path("max_lag").asLong()).isEqualTo(2);
        assertThat(b.path("reason").asText())
            .isEqualTo("the read models are 3 events behind the stream (MESH_READY_MAX_LAG=2)");
        assertThat(http.get("/health").statusCode()).as("alive all the same").isEqualTo(200);

        lock.close(); // the orchestrator takes the lead and projects
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/ready").statusCode() == 200);
        JsonNode ok = http.json("/ready");
        assertThat(ok.path("projection_lag").asLong()).isZero();
        assertThat(ok.path("reason").isNull()).isTrue();
      }
    }
  }
}
