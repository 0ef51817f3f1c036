package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import dev.jetmesh.worker.testing.GitRepos;
import io.nats.client.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attempt loop end to end: retry after a failed metric, and giving up after the maximum. */
class AttemptLoopIT {
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
  void metricPassingOnSecondAttempt_completesAndMerges_withTwoAttemptRowsAndStoredOutputs()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    String base = box.head();
    mesh.submit(
        "loop-pass",
        Map.of(
            "title", "Make result.txt say attempt-2", "metric", "grep -qx attempt-2 result.txt"));
    Map<String, String> env = mesh.workerEnv("node-pass", box, 3);
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put("FAKE_LLM_MARK", "1");

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
    }
    mesh.awaitStatus("loop-pass", "completed", Duration.ofSeconds(10));

    JsonNode result = mesh.get("loop-pass").get("result");
    assertThat(result.get("merged").asBoolean()).as(result.toString()).isTrue();
    assertThat(box.head()).isNotEqualTo(base);
    assertThat(box.atHead("result.txt")).isEqualTo("attempt-2");
    assertThat(box.headFiles())
        .contains("result.txt", "only-attempt-2.txt")
        .doesNotContain("only-attempt-1.txt");
    assertThat(box.workspace().resolve("result.txt")).hasContent("attempt-2");
    assertThat(box.workspace().resolve("only-attempt-1.txt")).doesNotExist();

    List<Map<String, Object>> attempts = attemptRows("loop-pass");
    assertThat(attempts).hasSize(2);
    assertThat(attempts).extracting(r -> r.get("attempt")).containsExactly(1, 2);
    assertThat(attempts).extracting(r -> r.get("exit_code")).containsExactly(0, 0);
    assertThat(attempts).extracting(r -> r.get("metric_passed")).containsExactly(false, true);
    assertThat(attempts).extracting(r -> r.get("keep")).containsExactly(false, true);
    assertThat(attempts).extracting(r -> r.get("node_id")).containsOnly("node-pass");
    assertThat(attempts).extracting(r -> r.get("provider")).containsOnly("claude");
    ObjectStore store = mesh.client().connection().objectStore("MESH_OUTPUTS");
    for (Map<String, Object> a : attempts) {
      assertThat((Long) a.get("duration_ms")).isPositive();
      JsonNode out = (JsonNode) a.get("output");
      assertThat(out.get("bucket").asText()).isEqualTo("MESH_OUTPUTS");
      assertThat(out.get("sha256").asText()).matches("[0-9a-f]{64}");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.get(out.get("name").asText(), bytes);
      assertThat((long) bytes.size()).isEqualTo(out.get("size").asLong());
      assertThat(sha256(bytes.toByteArray())).isEqualTo(out.get("sha256").asText());
      assertThat(bytes.toString(StandardCharsets.UTF_8))
          .contains("task: loop-pass\nattempt: " + a.get("attempt") + "/3");
    }
  }

  @Test
  void taskThatNeverPasses_isReleasedAfterMaxAttempts_mergesNothing_andKeepsItsBranch() {
    Sandbox box = E2eMesh.sandbox(tmp);
    String base = box.head();
    mesh.submit(
        "loop-never", Map.of("title", "Impossible", "metric", "grep -qx attempt-99 result.txt"));
    Map<String, String> env = mesh.workerEnv("node-never", box, 2);
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put("FAKE_LLM_MARK", "1");
    env.put("FAKE_LLM_FAIL_ATTEMPTS", "1");

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
    }
    mesh.awaitStatus("loop-never", "released", Duration.ofSeconds(10));

    JsonNode result = mesh.get("loop-never").get("result");
    assertThat(result.path("released").asBoolean()).as(result.toString()).isTrue();
    assertThat(result.path("summary").asText()).startsWith("Exhausted 2/2 attempts. Last: ");
    List<Map<String, Object>> attempts = attemptRows("loop-never");
    assertThat(attempts).extracting(r -> r.get("attempt")).containsExactly(1, 2);
    assertThat(attempts).extracting(r -> r.get("exit_code")).containsExactly(3, 0);
    assertThat(attempts).extracting(r -> r.get("metric_passed")).containsExactly(null, false);
    assertThat(mesh.eventTypes("loop-never"))
        .containsExactly(
            "task.submitted",
            "task.claimed",
            "task.started",
            "task.attempt_recorded",
            "task.attempt_recorded",
            "task.released");

    assertThat(box.head()).isEqualTo(base);
    assertThat(box.headFiles()).containsExactly("README.md");
    assertThat(box.workspace().resolve("result.txt")).doesNotExist();
    assertThat(GitRepos.git(box.workspace(), "status", "--porcelain")).isEmpty();
    assertThat(GitRepos.hasBranch(box.workspace(), "mesh/loop-never")).isTrue();
    // The branch keeps the last attempt's work for a human; the first attempt's was reverted.
    String branchTree =
        GitRepos.git(box.workspace(), "ls-tree", "-r", "--name-only", "mesh/loop-never");
    assertThat(branchTree.split("\n"))
        .contains("result.txt", "only-attempt-2.txt")
        .doesNotContain("only-attempt-1.txt");
  }

  private static List<Map<String, Object>> attemptRows(String taskId) {
    return mesh.rows(
        "SELECT attempt, node_id, provider, exit_code, metric_passed, keep, duration_ms, output"
            + " FROM task_attempts WHERE task_id = ? ORDER BY seq",
        taskId);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
