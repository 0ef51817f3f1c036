package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.math.BigDecimal;
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
 * Metric scores and money budgets end to end: a real worker process, the fake claude CLI printing
 * its JSON result with {@code total_cost_usd}, a real orchestrator, NATS and Postgres. A metric
 * that prints a rising score passes on the score once it meets the task's threshold (whatever its
 * exit code), every attempt's score is recorded, and each retry's prompt shows the scores so far
 * and their trend; a task whose attempts spend its {@code budget_usd} fails with {@code
 * budget_exceeded} and the worker starts no further attempt.
 */
class ScoresAndBudgetIT {
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

  @AfterEach
  void cleanUp() {
    mesh.cancelUnfinished();
  }

  @Test
  void risingScore_passesOnTheThreshold_withEveryScoreRecorded_andTheTrendInTheRetryPrompts()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    String base = box.head();
    // attempt n writes "attempt-n"; the metric prints 10 * n and always exits 1
    mesh.submit(
        "score-rise",
        Map.of(
            "title", "Raise the score to 25",
            "metric", "echo \"score $(( $(sed 's/attempt-//' result.txt) * 10 ))\"; exit 1",
            "metric_threshold", 25,
            "metric_direction", "higher"));
    Path prompts = tmp.resolve("prompts.log");
    Map<String, String> env = mesh.workerEnv("node-score", box, 5);
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put("FAKE_LLM_JSON", "1");
    env.put("FAKE_LLM_PROMPT_LOG", prompts.toString());

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(90))).as(w.log()).isZero();
    }
    mesh.awaitStatus("score-rise", "completed", Duration.ofSeconds(10));

    List<Map<String, Object>> rows = attemptRows("score-rise");
    assertThat(rows).extracting(r -> score(r)).containsExactly("10", "20", "30");
    assertThat(rows).extracting(r -> r.get("metric_passed")).containsExactly(false, false, true);
    assertThat(rows).extracting(r -> r.get("keep")).containsExactly(false, false, true);
    assertThat(rows)
        .allSatisfy(r -> assertThat((BigDecimal) r.get("cost_usd")).isEqualByComparingTo("0.0125"));
    assertThat(box.head()).isNotEqualTo(base);
    assertThat(box.atHead("result.txt")).isEqualTo("attempt-3");

    String[] logged = Files.readString(prompts).split("\n=====\n");
    assertThat(logged).hasSize(3);
    assertThat(logged[0])
        .contains("it prints a score, which must be 25 or more (higher is better)")
        .doesNotContain("## Metric Scores");
    assertThat(logged[1]).contains("  Score: 10\n").doesNotContain("Trend:");
    assertThat(logged[2])
        .contains(
            "## Metric Scores\nScores of the previous attempts, oldest first (higher is better;"
                + " the task passes at 25 or more):\n10 -> 20\nTrend: improving (10 -> 20).\n");
  }

  @Test
  void attemptsSpendingTheBudget_failTheTaskWithBudgetExceeded_andNoFurtherAttemptStarts()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    String base = box.head();
    mesh.submit(
        "money-out",
        Map.of(
            "title", "Never passes, costs $0.0125 a try",
            "metric", "echo 'score 1'; exit 1",
            "budget_usd", new BigDecimal("0.025")));
    Path prompts = tmp.resolve("prompts.log");
    Map<String, String> env = mesh.workerEnv("node-money", box, 5);
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put("FAKE_LLM_JSON", "1");
    env.put("FAKE_LLM_PROMPT_LOG", prompts.toString());

    String log;
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(90))).as(w.log()).isZero();
      log = w.log();
    }
    mesh.awaitStatus("money-out", "failed", Duration.ofSeconds(10));

    JsonNode result = mesh.get("money-out").get("result");
    assertThat(result.path("reason").asText()).isEqualTo("budget_exceeded");
    assertThat(result.path("summary").asText())
        .isEqualTo("Budget exceeded: $0.0250 spent of $0.025 budget_usd");
    assertThat(attemptRows("money-out")).hasSize(2);
    assertThat(Files.readString(prompts).split("\n=====\n"))
        .as("the fake LLM ran twice: no third attempt started")
        .hasSize(2);
    assertThat(mesh.eventTypes("money-out"))
        .containsExactly(
            "task.submitted",
            "task.claimed",
            "task.started",
            "task.attempt_recorded",
            "task.attempt_recorded",
            "task.failed");
    // Whichever comes first stops it: the owner's budget_exceeded notice, or the refused start.
    assertThat(log).containsAnyOf("budget spent, no further attempt", "stopped (BUDGET_EXCEEDED)");
    assertThat(box.head()).isEqualTo(base);
  }

  private static List<Map<String, Object>> attemptRows(String taskId) {
    return mesh.rows(
        "SELECT attempt, metric_passed, metric_score, keep, cost_usd FROM task_attempts"
            + " WHERE task_id = ? ORDER BY seq",
        taskId);
  }

  private static String score(Map<String, Object> row) {
    return ((BigDecimal) row.get("metric_score")).stripTrailingZeros().toPlainString();
  }
}
