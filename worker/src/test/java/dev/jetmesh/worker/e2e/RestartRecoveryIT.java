package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed ({@code kill -9}) in the middle of a task and started again under the same node
 * id, long before the stall detection would notice: the orchestrator still has the node holding the
 * task and refuses its claim with {@code ALREADY_ACTIVE}. The new worker looks the task up ({@code
 * mesh.tasks.list} by owner), releases it with its claim token, and claims again, so the node works
 * the next queued task at once instead of waiting out the stall threshold. (A released task is
 * terminal, never requeued: "claimed again" is the node claiming, and the next task is completed.)
 */
class RestartRecoveryIT {
  private static final String NODE = "node-phoenix";
  private static E2eMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void startMesh() {
    // The default stall threshold (minutes): only the restarted worker can free the task in time.
    mesh = E2eMesh.start(Map.of());
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @AfterEach
  void cleanUp() {
    mesh.cancelUnfinished();
  }

  @Test
  void restartedWorker_releasesTheTaskItHeldBeforeTheCrash_thenClaimsAndCompletesTheNext() {
    Sandbox box = E2eMesh.sandbox(tmp);
    mesh.submit("restart-held", Map.of("title", "Lost in a crash"));
    Map<String, String> env = mesh.workerEnv(NODE, box, 3);
    Path pidFile = tmp.resolve("llm.pid");
    env.put("FAKE_LLM_SLEEP", "60");
    env.put("FAKE_LLM_PID_FILE", pidFile.toString());
    try (WorkerProcess crashed = WorkerProcess.start(env, tmp.resolve("log-crashed"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
      mesh.awaitStatus("restart-held", "running", Duration.ofSeconds(10));
      crashed.kill9();
    }
    JsonNode held = mesh.get("restart-held");
    assertThat(held.path("status").asText()).isEqualTo("running");
    assertThat(held.path("owner").asText()).isEqualTo(NODE);

    mesh.submit(
        "restart-next",
        Map.of("title", "After the restart", "metric", "grep -qx attempt-1 result.txt"));
    Map<String, String> env2 = mesh.workerEnv(NODE, box, 3);
    env2.put("FAKE_LLM_WRITE", "result.txt");
    try (WorkerProcess restarted =
        WorkerProcess.start(env2, tmp.resolve("log-restarted"), "--once")) {
      assertThat(restarted.awaitExit(Duration.ofSeconds(60))).as(restarted.log()).isZero();
      assertThat(restarted.log())
          .contains("releasing restart-held: this node owned it before a restart")
          .doesNotContain("claim refused");
    }

    mesh.awaitStatus("restart-held", "released", Duration.ofSeconds(10));
    JsonNode released = mesh.get("restart-held").path("result");
    assertThat(released.path("summary").asText())
        .isEqualTo("worker restarted; the previous run was lost");
    assertThat(released.path("released").asBoolean()).isTrue();
    assertThat(mesh.eventTypes("restart-held"))
        .containsExactly("task.submitted", "task.claimed", "task.started", "task.released");
    JsonNode release = event("restart-held", "task.released");
    assertThat(release.path("node_id").asText()).isEqualTo(NODE);
    assertThat(release.path("reason").asText())
        .isEqualTo("worker restarted; the previous run was lost");

    mesh.awaitStatus("restart-next", "completed", Duration.ofSeconds(10));
    assertThat(mesh.get("restart-next").path("owner").asText()).isEqualTo(NODE);
    assertThat(box.atHead("result.txt")).isEqualTo("attempt-1");
    // The node's second claim came after the release, not instead of it.
    assertThat(seq("restart-held", "task.released"))
        .isLessThan(seq("restart-next", "task.claimed"));
  }

  private static JsonNode event(String taskId, String type) {
    List<Map<String, Object>> rows =
        mesh.rows(
            "SELECT payload FROM event_log WHERE aggregate_id = ? AND type = ?", taskId, type);
    assertThat(rows).hasSize(1);
    return (JsonNode) rows.get(0).get("payload");
  }

  private static long seq(String taskId, String type) {
    List<Map<String, Object>> rows =
        mesh.rows("SELECT seq FROM event_log WHERE aggregate_id = ? AND type = ?", taskId, type);
    assertThat(rows).hasSize(1);
    return (Long) rows.get(0).get("seq");
  }
}
