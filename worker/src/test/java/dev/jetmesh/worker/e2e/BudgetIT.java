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
 * A run that outlives its budget. The smallest budget is one minute, so this is the suite's one
 * slow test (about 62 s). The worker kills its own child at the deadline and the orchestrator's
 * budget timer fails the task at the deadline too (and tells the worker); whichever is first, the
 * run must be killed with its children, the task failed with the budget reason, nothing merged.
 */
class BudgetIT {
  private static E2eMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void startMesh() {
    mesh = E2eMesh.start(Map.of());
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void runPastItsBudget_isKilledWithItsChildren_andTheTaskFailsWithTheBudgetReason()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    String base = box.head();
    mesh.submit(
        "budget-1",
        Map.of("title", "Sleeps past its budget", "budget_minutes", 1, "metric", "true"));
    Map<String, String> env = mesh.workerEnv("node-budget", box, 3);
    Path pidFile = tmp.resolve("sleep.pid");
    env.put("FAKE_LLM_SLEEP", "100");
    env.put("FAKE_LLM_PID_FILE", pidFile.toString());
    env.put("FAKE_LLM_WRITE", "result.txt");

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
      long sleeper = Long.parseLong(Files.readString(pidFile).strip());
      assertThat(ProcessHandle.of(sleeper)).isPresent();
      Instant deadline = Instant.parse(mesh.get("budget-1").get("budget_deadline").asText());

      mesh.awaitStatus("budget-1", "failed", Duration.ofSeconds(75));
      Instant failedSeen = Instant.now();
      // The sleeping grandchild of the worker dies with the run, and the worker takes no more
      // time over it than a few polls.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> ProcessHandle.of(sleeper).map(h -> !h.isAlive()).orElse(true));
      await().atMost(Duration.ofSeconds(5)).until(() -> w.descendants().isEmpty());
      assertThat(w.isAlive()).as("the worker goes on after a failed task").isTrue();

      JsonNode result = mesh.get("budget-1").get("result");
      assertThat(result.path("summary").asText())
          .as(result.toString())
          .startsWith("Budget exceeded: 1m elapsed, 1m budget");
      List<Map<String, Object>> terminal =
          mesh.rows(
              "SELECT type, occurred_at, payload FROM event_log WHERE aggregate_id = ?"
                  + " AND type IN ('task.failed', 'task.budget_exceeded', 'task.completed',"
                  + " 'task.released') ORDER BY seq",
              "budget-1");
      assertThat(terminal).hasSize(1);
      Instant failedAt = (Instant) terminal.get(0).get("occurred_at");
      assertThat(failedAt).isAfterOrEqualTo(deadline.minusMillis(1));
      assertThat(Duration.between(deadline, failedAt)).isLessThan(Duration.ofSeconds(3));
      assertThat(failedSeen).isAfter(deadline);
      System.out.printf(
          "budget-1 ended by %s %d ms after its deadline%n",
          terminal.get(0).get("type"), Duration.between(deadline, failedAt).toMillis());
      w.log()
          .lines()
          .filter(l -> l.contains("budget-1") || l.contains("killing"))
          .forEach(l -> System.out.println("  worker: " + l));
    }
    assertThat(box.head()).isEqualTo(base);
    assertThat(box.workspace().resolve("result.txt")).doesNotExist();
  }
}
