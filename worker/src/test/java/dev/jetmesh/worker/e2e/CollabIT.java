package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collaboration sessions with three real worker processes (each with its own workspace) against the
 * real orchestrator, NATS and Postgres; the fake LLM prints a reflection block with a vote per
 * round.
 */
class CollabIT {
  private static E2eMesh mesh;

  @TempDir Path tmp;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void startMesh() {
    mesh = E2eMesh.start(Map.of("MESH_SWEEP_SECONDS", "0.2"));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @AfterEach
  void stopWorkers() {
    workers.forEach(WorkerProcess::close);
    mesh.cancelUnfinished();
  }

  private Sandbox worker(String node, String votes) {
    Sandbox box = E2eMesh.sandbox(tmp.resolve(node));
    Map<String, String> env = mesh.workerEnv(node, box, 1);
    env.put("FAKE_LLM_VOTES", votes);
    env.put("FAKE_LLM_WRITE", node + ".txt");
    env.put("FAKE_LLM_PROMPT_LOG", box.dir().resolve("prompts.log").toString());
    env.put("MESH_COLLAB_CHECK_INTERVAL", "500");
    workers.add(WorkerProcess.start(env, tmp.resolve(node).resolve("log")));
    return box;
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    workers.forEach(w -> b.append(w.log()).append("\n-----\n"));
    return b.toString();
  }

  private void awaitEnd(String taskId) {
    try {
      mesh.awaitStatus(taskId, "completed", Duration.ofSeconds(90));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("task " + taskId + " did not complete; logs:\n" + logs(), e);
    }
    // Every session of the suite must replay to the decisions taken live.
    dev.jetmesh.orchestrator.testing.ReplayCli.assertReproduces(
        java.util.Map.of("MESH_NATS_URL", mesh.natsUrl()), sessionOf(taskId));
  }

  private static String sessionOf(String taskId) {
    return mesh.get(taskId).path("collab_session_id").asText();
  }

  @Test
  void threeWorkers_unanimous_convergeInRoundTwo_andEachMergesItsWork() throws Exception {
    Sandbox a = worker("cw-a", "continue converged");
    Sandbox b = worker("cw-b", "continue converged");
    Sandbox c = worker("cw-c", "continue converged");
    String baseA = a.head();
    mesh.submit(
        "collab-unanimous",
        Map.of(
            "title",
            "Three nodes agree",
            "collaboration",
            Map.of(
                "mode", "parallel",
                "min_nodes", 3,
                "max_nodes", 3,
                "max_rounds", 4,
                "convergence", Map.of("type", "unanimous"))));
    awaitEnd("collab-unanimous");

    JsonNode result = mesh.get("collab-unanimous").path("result");
    assertThat(result.path("rounds_taken").asInt()).as(result.toString()).isEqualTo(2);
    assertThat(result.path("summary").asText()).startsWith("Converged after 2 rounds with 3 nodes");
    String sid = sessionOf("collab-unanimous");
    List<Map<String, Object>> refl =
        mesh.rows(
            "SELECT round_number, node_id, vote, parse_failed, artifacts FROM collab_reflections"
                + " WHERE session_id = ? ORDER BY round_number, node_id",
            sid);
    assertThat(refl)
        .extracting(r -> r.get("vote"))
        .containsExactly("continue", "continue", "continue", "converged", "converged", "converged");
    assertThat(refl).extracting(r -> r.get("parse_failed")).containsOnly(false);
    // Each node merges its own work into its own workspace once the session has converged.
    for (var e : Map.of("cw-a", a, "cw-b", b, "cw-c", c).entrySet()) {
      Sandbox box = e.getValue();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(box.headFiles()).as(logs()).contains(e.getKey() + ".txt"));
      assertThat(box.atHead(e.getKey() + ".txt")).isEqualTo("attempt-2");
      String prompts = java.nio.file.Files.readString(box.dir().resolve("prompts.log"));
      assertThat(prompts)
          .contains("# Collaboration round 2:")
          .contains("=== ROUND 1 SHARED INTELLIGENCE ===");
    }
    assertThat(a.head()).isNotEqualTo(baseA);
  }

  @Test
  void majority_withOneParseFailure_converges_andTheFailureIsNotAVote() {
    worker("mw-a", "converged");
    worker("mw-b", "converged");
    worker("mw-c", "garbage");
    mesh.submit(
        "collab-majority",
        Map.of(
            "title",
            "Two of three agree",
            "collaboration",
            Map.of(
                "mode", "parallel",
                "min_nodes", 3,
                "max_nodes", 3,
                "max_rounds", 3,
                "convergence", Map.of("type", "majority", "threshold", 0.66, "min_quorum", 2))));
    awaitEnd("collab-majority");

    JsonNode result = mesh.get("collab-majority").path("result");
    assertThat(result.path("rounds_taken").asInt()).as(result.toString()).isEqualTo(1);
    List<Map<String, Object>> refl =
        mesh.rows(
            "SELECT node_id, vote, parse_failed, summary FROM collab_reflections"
                + " WHERE session_id = ? ORDER BY node_id",
            sessionOf("collab-majority"));
    assertThat(refl).extracting(r -> r.get("node_id")).containsExactly("mw-a", "mw-b", "mw-c");
    assertThat(refl)
        .extracting(r -> r.get("vote"))
        .containsExactly("converged", "converged", "parse_error");
    assertThat(refl).extracting(r -> r.get("parse_failed")).containsExactly(false, false, true);
    assertThat((String) refl.get(2).get("summary")).contains("fake llm worked on round 1");
  }
}
