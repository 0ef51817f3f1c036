package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a worker in the middle of a run: its heartbeats stop and its alive check goes
 * unanswered, so the orchestrator's stall detection releases the task; another worker then works
 * normally on the same workspace.
 */
class StallIT {
  /** 0.05 minutes: 3 s of silence. */
  private static final Duration THRESHOLD = Duration.ofSeconds(3);

  private static final Duration CHECK_INTERVAL = Duration.ofMillis(200);
  private static final Duration ALIVE_TIMEOUT = Duration.ofMillis(300);
  private static E2eMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void startMesh() {
    mesh =
        E2eMesh.start(
            Map.of(
                "MESH_STALL_MINUTES", "0.05",
                "MESH_STALL_CHECK_SECONDS", "0.2",
                "MESH_ALIVE_TIMEOUT_MS", "300"));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void killedWorker_isDetectedAsStalled_withinTheThreshold_andAnotherWorkerCarriesOn()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    mesh.submit("stall-1", Map.of("title", "Runs until its worker dies"));
    Map<String, String> env = mesh.workerEnv("node-doomed", box, 3);
    Path pidFile = tmp.resolve("sleep.pid");
    env.put("FAKE_LLM_SLEEP", "60");
    env.put("FAKE_LLM_PID_FILE", pidFile.toString());

    Instant killedAt;
    try (WorkerProcess doomed = WorkerProcess.start(env, tmp.resolve("log-doomed"))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile));
      // Heartbeats flow: the liveness row is fresh while the worker lives.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> !mesh.rows("SELECT 1 FROM task_liveness WHERE task_id = 'stall-1'").isEmpty());
      assertThat(mesh.status("stall-1")).isEqualTo("running");
      // Alive past the threshold: its heartbeats keep the task from being taken as stalled.
      await()
          .during(THRESHOLD.plusSeconds(1))
          .atMost(THRESHOLD.plusSeconds(3))
          .until(() -> mesh.status("stall-1").equals("running"));

      killedAt = Instant.now();
      doomed.kill9();

      Duration bound = THRESHOLD.plus(CHECK_INTERVAL).plus(ALIVE_TIMEOUT).plusSeconds(2);
      mesh.awaitStatus("stall-1", "released", bound);
    }
    List<Map<String, Object>> stalled =
        mesh.rows(
            "SELECT occurred_at FROM event_log WHERE aggregate_id = 'stall-1'"
                + " AND type = 'task.stalled'");
    assertThat(stalled).hasSize(1);
    Instant stalledAt = (Instant) stalled.get(0).get("occurred_at");
    Duration afterKill = Duration.between(killedAt, stalledAt);
    System.out.printf("stall-1 released %d ms after kill -9%n", afterKill.toMillis());
    // Never before the threshold of silence (heartbeats came every 200 ms until the kill) ...
    assertThat(afterKill).isGreaterThan(THRESHOLD.minusMillis(300));
    // ... and no later than the threshold, one check interval and one alive timeout, plus slack.
    assertThat(afterKill)
        .isLessThan(THRESHOLD.plus(CHECK_INTERVAL).plus(ALIVE_TIMEOUT).plusMillis(700));
    JsonNode result = mesh.get("stall-1").get("result");
    assertThat(result.path("summary").asText()).startsWith("Stall detected:");
    assertThat(result.path("released").asBoolean()).isTrue();

    // A second worker, on the same workspace and worktree base, completes new work.
    mesh.submit(
        "stall-2", Map.of("title", "After the crash", "metric", "grep -qx attempt-1 result.txt"));
    Map<String, String> env2 = mesh.workerEnv("node-heir", box, 3);
    env2.put("FAKE_LLM_WRITE", "result.txt");
    try (WorkerProcess heir = WorkerProcess.start(env2, tmp.resolve("log-heir"), "--once")) {
      assertThat(heir.awaitExit(Duration.ofSeconds(60))).as(heir.log()).isZero();
    }
    mesh.awaitStatus("stall-2", "completed", Duration.ofSeconds(10));
    assertThat(mesh.get("stall-2").path("owner").asText()).isEqualTo("node-heir");
    assertThat(box.atHead("result.txt")).isEqualTo("attempt-1");
    assertThat(mesh.status("stall-1")).isEqualTo("released");
  }
}
