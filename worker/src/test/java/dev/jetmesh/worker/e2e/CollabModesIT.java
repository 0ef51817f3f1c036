package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import dev.jetmesh.worker.testing.GitRepos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collaboration modes and the two convergence types the reference never finished, with real
 * worker processes (each with its own workspace) against the real orchestrator, NATS and Postgres:
 * sequential turns with intra-round intel, review with a writing leader and read-only reviewers, a
 * coordinator (this test) casting the deciding vote, and the task metric deciding convergence.
 * Every session is replayed by the real {@code jetmesh collab replay} command.
 */
class CollabModesIT {
  private static final Duration END = Duration.ofSeconds(60);
  private static E2eMesh mesh;

  @TempDir Path tmp;
  private CollabNodes nodes;

  @BeforeAll
  static void startMesh() {
    mesh = E2eMesh.start(Map.of("MESH_SWEEP_SECONDS", "0.2"));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @BeforeEach
  void nodes() {
    nodes = new CollabNodes(mesh, tmp);
  }

  @AfterEach
  void stopWorkers() {
    nodes.close();
    mesh.cancelUnfinished();
  }

  private static Map<String, Object> task(String title, Map<String, Object> collaboration) {
    return Map.of("title", title, "collaboration", collaboration);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void sequential_reflectsInTurnOrder_andLaterTurnsGetTheEarlierTurnsIntel() {
    for (String n : List.of("sq-a", "sq-b", "sq-c")) {
      nodes.start(n, Map.of("FAKE_LLM_VOTES", "continue converged"));
    }
    mesh.submit(
        "collab-seq",
        task(
            "Take turns",
            Map.of(
                "mode", "sequential",
                "min_nodes", 3,
                "max_nodes", 3,
                "max_rounds", 3,
                "convergence", Map.of("type", "unanimous"))));
    nodes.awaitTask("collab-seq", "completed", END);
    String sid = nodes.sessionOf("collab-seq");
    assertThat(mesh.get("collab-seq").path("result").path("rounds_taken").asInt()).isEqualTo(2);

    List<JsonNode> starts = nodes.events(sid, "collab.round_started");
    assertThat(starts).hasSize(2);
    List<String> order = texts(starts.get(0).path("turn_order"));
    assertThat(order).containsExactlyInAnyOrder("sq-a", "sq-b", "sq-c");
    // the turn order is the join order, the same in every round
    assertThat(texts(nodes.events(sid, "collab.recruiting_closed").get(0).path("node_ids")))
        .isEqualTo(order);
    assertThat(texts(starts.get(1).path("turn_order"))).isEqualTo(order);

    // reflections were appended strictly in turn order, round after round
    List<String> reflected = new ArrayList<>();
    for (JsonNode r : nodes.events(sid, "collab.reflection_submitted")) {
      reflected.add(
          r.path("round_number").asInt() + ":" + r.path("reflection").path("node_id").asText());
    }
    List<String> expected = new ArrayList<>();
    for (int round = 1; round <= 2; round++) {
      for (String n : order) {
        expected.add(round + ":" + n);
      }
    }
    assertThat(reflected).isEqualTo(expected);
    assertThat(nodes.eventTypes(sid))
        .filteredOn(t -> t.equals("collab.turn_advanced"))
        .hasSize(6); // three hand-overs per round, the last one to nobody

    String first = order.get(0);
    String second = order.get(1);
    String third = order.get(2);
    for (int round = 1; round <= 2; round++) {
      String intra = "=== INTRA-ROUND " + round + " (turns so far) ===";
      assertThat(nodes.prompt(first, round)).doesNotContain("=== INTRA-ROUND");
      assertThat(nodes.prompt(second, round))
          .contains(intra)
          .contains("## Turn: " + first)
          .doesNotContain("## Turn: " + second);
      assertThat(nodes.prompt(third, round))
          .contains(intra)
          .contains("## Turn: " + first)
          .contains("## Turn: " + second)
          .contains("Summary: round " + round + " by fake llm")
          .doesNotContain("## Turn: " + third);
    }
    assertThat(nodes.prompt(first, 2)).contains("=== ROUND 1 SHARED INTELLIGENCE ===");
    for (String n : order) {
      assertThat(nodes.prompts(n)).as("%s ran once per round", n).hasSize(2);
    }
    nodes.assertReplayReproduces(sid);
  }

  @Test
  void review_theLeaderWrites_reviewersGetReadOnlyScopes_andTheirChangesAreNotMerged() {
    for (String n : List.of("rv-a", "rv-b", "rv-c")) {
      nodes.start(n, Map.of("FAKE_LLM_VOTES", "converged"));
    }
    Map<String, String> before =
        Map.of(
            "rv-a", nodes.box("rv-a").head(),
            "rv-b", nodes.box("rv-b").head(),
            "rv-c", nodes.box("rv-c").head());
    mesh.submit(
        "collab-review",
        Map.of(
            "title",
            "Lead and review",
            "scope",
            List.of("README.md"),
            "collaboration",
            Map.of("mode", "review", "min_nodes", 3, "max_nodes", 3, "max_rounds", 2)));
    nodes.awaitTask("collab-review", "completed", END);
    String sid = nodes.sessionOf("collab-review");

    JsonNode assignments = nodes.events(sid, "collab.round_started").get(0).path("assignments");
    assertThat(assignments).hasSize(3);
    String leader = assignments.get(0).path("node_id").asText();
    assertThat(assignments.get(0).path("role").asText()).isEqualTo("leader");
    assertThat(texts(assignments.get(0).path("scope"))).containsExactly("README.md");
    List<String> reviewers = new ArrayList<>();
    for (int i = 1; i < 3; i++) {
      JsonNode a = assignments.get(i);
      assertThat(a.path("role").asText()).isEqualTo("reviewer");
      assertThat(texts(a.path("scope"))).containsExactly("[REVIEW-ONLY] README.md");
      reviewers.add(a.path("node_id").asText());
    }
    assertThat(nodes.prompt(leader, 1))
        .contains("Your role: leader.")
        .contains("## Scope\nOnly change files within these paths:\n- README.md");

    // the leader's work is merged into its workspace
    Sandbox lead = nodes.box(leader);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(lead.headFiles()).as(nodes.logs()).contains(leader + ".txt"));
    assertThat(lead.head()).isNotEqualTo(before.get(leader));
    for (String r : reviewers) {
      assertThat(nodes.prompt(r, 1))
          .contains("Your role: reviewer.")
          .contains("## Scope (REVIEW ONLY)")
          .contains("do NOT create, modify or delete any file:\n- README.md");
      // the fake LLM wrote a file anyway: the reviewer's change is never merged
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(nodes.process(r).log())
                      .contains("this node reviewed only: nothing to merge"));
      assertThat(nodes.box(r).head()).isEqualTo(before.get(r));
      assertThat(nodes.box(r).headFiles()).doesNotContain(r + ".txt");
    }
    nodes.assertReplayReproduces(sid);
  }

  @Test
  void coordinator_theAuthorisedActorsVoteDecides_throughTheVoteSubject() {
    // The members vote "converged" from round 1 on; only the coordinator's vote counts.
    nodes.start("co-a", Map.of("FAKE_LLM_VOTES", "converged"));
    nodes.start("co-b", Map.of("FAKE_LLM_VOTES", "converged"));
    mesh.submit(
        "collab-coord",
        task(
            "The lead decides",
            Map.of(
                "min_nodes", 2,
                "max_nodes", 2,
                "max_rounds", 4,
                "convergence", Map.of("type", "coordinator", "coordinator", "release-lead"))));
    await().atMost(END).until(() -> !nodes.sessionOf("collab-coord").isEmpty());
    String sid = nodes.sessionOf("collab-coord");
    awaitReflections(sid, 1, 2);
    // everyone reflected and voted converged, yet the round waits for the coordinator
    JsonNode status = mesh.client().ok("mesh.collab.status", Map.of("session_id", sid));
    assertThat(status.path("status").asText()).isEqualTo("active");
    assertThat(status.path("current_round").asInt()).isEqualTo(1);
    assertThat(nodes.events(sid, "collab.round_evaluated")).isEmpty();
    assertThat(
            mesh.client()
                .error(
                    "mesh.collab.vote",
                    Map.of("session_id", sid, "node_id", "co-a", "vote", "converged")))
        .isEqualTo(
            "Node co-a is not the coordinator of session " + sid + " (coordinator: release-lead)");

    vote(sid, 1, "continue", "needs another pass");
    awaitReflections(sid, 2, 2);
    vote(sid, 2, "converged", "good to ship");
    nodes.awaitTask("collab-coord", "completed", END);

    JsonNode result = mesh.get("collab-coord").path("result");
    assertThat(result.path("rounds_taken").asInt()).isEqualTo(2);
    List<JsonNode> evals = nodes.events(sid, "collab.round_evaluated");
    assertThat(evals)
        .extracting(e -> e.path("tally").path("coordinator_vote").asText())
        .containsExactly("continue", "converged");
    assertThat(evals).extracting(e -> e.path("converged").asBoolean()).containsExactly(false, true);
    assertThat(evals)
        .extracting(e -> e.path("tally").path("converged_votes").asInt())
        .containsExactly(2, 2);
    assertThat(
            mesh.rows(
                "SELECT round_number, voter, vote FROM collab_votes"
                    + " WHERE session_id = ? AND kind = 'coordinator' ORDER BY round_number",
                sid))
        .extracting(r -> r.get("round_number") + ":" + r.get("voter") + ":" + r.get("vote"))
        .containsExactly("1:release-lead:continue", "2:release-lead:converged");
    nodes.assertReplayReproduces(sid);
  }

  private void vote(String sid, int round, String vote, String reason) {
    mesh.client()
        .ok(
            "mesh.collab.vote",
            Map.of(
                "session_id", sid,
                "node_id", "release-lead",
                "round", round,
                "vote", vote,
                "reason", reason));
  }

  private void awaitReflections(String sid, int round, int count) {
    try {
      await()
          .atMost(END)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  mesh.rows(
                              "SELECT node_id FROM collab_reflections"
                                  + " WHERE session_id = ? AND round_number = ?",
                              sid,
                              round)
                          .size()
                      == count);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          count + " reflections for round " + round + " missing; logs:\n" + nodes.logs(), e);
    }
  }

  @Test
  void metric_convergesWhenTheTaskMetricPassesOnTheWork_whateverTheVotes() throws Exception {
    String metric = "grep -qx attempt-2 work.txt";
    // Votes always "continue": only the metric can end the session before max_rounds.
    Map<String, String> fake = Map.of("FAKE_LLM_VOTES", "continue", "FAKE_LLM_WRITE", "work.txt");
    Sandbox a = nodes.start("mt-a", fake);
    Sandbox b = nodes.start("mt-b", fake);
    mesh.submit(
        "collab-metric",
        Map.of(
            "title",
            "Until the metric passes",
            "metric",
            metric,
            "collaboration",
            Map.of(
                "min_nodes", 2,
                "max_nodes", 2,
                "max_rounds", 4,
                "convergence", Map.of("type", "metric", "metric", metric))));
    nodes.awaitTask("collab-metric", "completed", END);
    String sid = nodes.sessionOf("collab-metric");

    JsonNode result = mesh.get("collab-metric").path("result");
    assertThat(result.path("summary").asText()).isEqualTo("Converged after 2 rounds with 2 nodes");
    assertThat(
            mesh.rows(
                "SELECT round_number, node_id, vote, metric_passed FROM collab_reflections"
                    + " WHERE session_id = ? ORDER BY round_number, node_id",
                sid))
        .extracting(
            r ->
                r.get("round_number")
                    + ":"
                    + r.get("node_id")
                    + ":"
                    + r.get("vote")
                    + ":"
                    + r.get("metric_passed"))
        .containsExactly(
            "1:mt-a:continue:false",
            "1:mt-b:continue:false",
            "2:mt-a:continue:true",
            "2:mt-b:continue:true");
    List<JsonNode> evals = nodes.events(sid, "collab.round_evaluated");
    assertThat(evals)
        .extracting(e -> e.path("outcome").asText())
        .containsExactly("next_round", "converged");
    assertThat(evals.get(1).path("tally").path("metric_passed").asInt()).isEqualTo(2);
    assertThat(evals.get(1).path("rule").path("type").asText()).isEqualTo("metric");
    assertThat(nodes.prompt("mt-a", 1)).contains("## Verification").contains(metric);

    // the merged work passes the metric in each node's workspace
    for (Sandbox box : List.of(a, b)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(box.headFiles()).contains("work.txt"));
      assertThat(box.atHead("work.txt")).isEqualTo("attempt-2");
      assertThat(GitRepos.git(box.workspace(), "status", "--porcelain")).isEmpty();
      assertThat(runMetric(box.workspace(), metric)).isZero();
    }
    nodes.assertReplayReproduces(sid);
  }

  private static int runMetric(Path dir, String metric) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-c", metric).directory(dir.toFile()).inheritIO().start();
    return p.waitFor();
  }
}
