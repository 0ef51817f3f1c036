package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.nio.file.Files;
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
 * A collaboration member killed with {@code kill -9} in the middle of a round (its fake LLM
 * sleeping), with real worker processes against the real orchestrator, NATS and Postgres: it stops
 * answering the alive check, is marked dead, and the session goes on without it when enough nodes
 * remain or aborts (failing the parent task) when it falls below {@code min_nodes}; never hangs.
 * The victim is a recruit, never the node that claimed the task: a killed owner is the task stall
 * path ({@code StallIT}).
 */
class CollabKillIT {
  private static final Duration END = Duration.ofSeconds(60);
  private static E2eMesh mesh;

  @TempDir Path tmp;
  private CollabNodes nodes;

  @BeforeAll
  static void startMesh() {
    // Members silent for 3 s are alive-checked; a generous answer timeout so that a loaded
    // machine does not make a live node look dead.
    mesh =
        E2eMesh.start(
            Map.of(
                "MESH_SWEEP_SECONDS", "0.2",
                "MESH_STALL_MINUTES", "0.05",
                "MESH_ALIVE_TIMEOUT_MS", "2000"));
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

  /**
   * Submits the task while only the survivors run and waits until they joined, so that the victim
   * started afterwards joins from the recruiting list and never owns the task.
   */
  private String submitAndAwaitJoins(
      String taskId, String mode, int minNodes, int maxNodes, int survivors) {
    mesh.submit(
        taskId,
        Map.of(
            "title",
            "Survive a crash",
            "collaboration",
            Map.of(
                "mode",
                mode,
                "min_nodes",
                minNodes,
                "max_nodes",
                maxNodes,
                "max_rounds",
                3,
                "join_window_s",
                60,
                // a backstop only: the alive check must find the dead node long before
                "round_timeout_s",
                60,
                "convergence",
                Map.of("type", "unanimous"))));
    String sid = nodes.sessionOf(taskId);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                mesh.rows("SELECT node_id FROM collab_members WHERE session_id = ?", sid).size()
                    == survivors);
    return sid;
  }

  /** Starts {@code node} with an LLM that sleeps, waits until it runs, and kills the worker. */
  private void startAndKillMidRound(String sid, String node) {
    Path pid = tmp.resolve(node + ".llm.pid");
    nodes.start(
        node,
        Map.of(
            "FAKE_LLM_VOTES", "converged",
            "FAKE_LLM_SLEEP", "120",
            "FAKE_LLM_PID_FILE", pid.toString()));
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pid));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          node + " never started its round; logs:\n" + nodes.logs() + nodes.timeline(sid), e);
    }
    // the victim is a recruit, not the task's owner (a killed owner is the task stall path)
    assertThat(mesh.rows("SELECT owner FROM tasks WHERE owner = ?", node)).isEmpty();
    nodes.process(node).kill9();
    assertThat(nodes.process(node).isAlive()).isFalse();
  }

  private static List<String> assigned(JsonNode roundStarted) {
    List<String> out = new ArrayList<>();
    roundStarted.path("assignments").forEach(a -> out.add(a.path("node_id").asText()));
    return out;
  }

  @Test
  void memberKilledMidRound_isMarkedDead_andTheSessionContinuesWithTheOthers() {
    nodes.start("kc-a", Map.of("FAKE_LLM_VOTES", "continue converged"));
    nodes.start("kc-b", Map.of("FAKE_LLM_VOTES", "continue converged"));
    String sid = submitAndAwaitJoins("collab-kill-on", "parallel", 2, 3, 2);
    startAndKillMidRound(sid, "kc-c");

    nodes.awaitTask("collab-kill-on", "completed", END);
    List<JsonNode> dead = nodes.events(sid, "collab.node_marked_dead");
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).path("node_id").asText()).isEqualTo("kc-c");
    assertThat(dead.get(0).path("round_number").asInt()).isEqualTo(1);
    assertThat(dead.get(0).path("reason").asText()).isEqualTo("alive check failed");

    List<JsonNode> rounds = nodes.events(sid, "collab.round_started");
    assertThat(rounds).hasSize(2);
    assertThat(assigned(rounds.get(0))).containsExactlyInAnyOrder("kc-a", "kc-b", "kc-c");
    assertThat(assigned(rounds.get(1))).containsExactlyInAnyOrder("kc-a", "kc-b");
    List<JsonNode> evals = nodes.events(sid, "collab.round_evaluated");
    assertThat(evals).extracting(e -> e.path("timed_out").asBoolean()).containsOnly(false);
    assertThat(evals.get(0).path("tally").path("reflections").asInt()).isEqualTo(2);
    // the dead node was pruned when round 2 started, as the reference removes it
    JsonNode result = mesh.get("collab-kill-on").path("result");
    assertThat(result.path("summary").asText()).isEqualTo("Converged after 2 rounds with 2 nodes");
    assertThat(
            mesh.rows(
                "SELECT node_id FROM collab_members WHERE session_id = ? ORDER BY node_id", sid))
        .extracting(r -> r.get("node_id"))
        .containsExactly("kc-a", "kc-b");
    // the survivors merge their work
    for (String n : List.of("kc-a", "kc-b")) {
      Sandbox box = nodes.box(n);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(box.headFiles()).contains(n + ".txt"));
    }
    nodes.assertReplayReproduces(sid);
  }

  @Test
  void memberKilledMidRound_belowMinNodes_abortsTheSession_andFailsTheParent() {
    Sandbox survivor = nodes.start("ka-a", Map.of("FAKE_LLM_VOTES", "continue"));
    String base = survivor.head();
    String sid = submitAndAwaitJoins("collab-kill-off", "parallel", 2, 2, 1);
    startAndKillMidRound(sid, "ka-b");

    nodes.awaitTask("collab-kill-off", "failed", END);
    JsonNode task = mesh.get("collab-kill-off");
    assertThat(task.path("result").path("summary").asText())
        .isEqualTo("Collab aborted: too few active nodes (1 < 2)");
    JsonNode status = mesh.client().ok("mesh.collab.status", Map.of("session_id", sid));
    assertThat(status.path("status").asText()).isEqualTo("aborted");
    List<JsonNode> dead = nodes.events(sid, "collab.node_marked_dead");
    assertThat(dead).extracting(d -> d.path("node_id").asText()).containsExactly("ka-b");
    assertThat(nodes.events(sid, "collab.aborted"))
        .extracting(a -> a.path("reason").asText())
        .containsExactly("insufficient_nodes");
    assertThat(nodes.events(sid, "collab.round_started")).hasSize(1);
    // the survivor's work is discarded, never merged
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(nodes.process("ka-a").log())
                    .containsPattern(
                        "(session \\S+|collaboration task collab-kill-off) ended for this node:"
                            + " (DISCARDED|STOPPED)"));
    assertThat(survivor.head()).isEqualTo(base);
    assertThat(survivor.headFiles()).doesNotContain("ka-a.txt");
    nodes.assertReplayReproduces(sid);
  }

  @Test
  void turnHolderKilledInSequentialMode_isMarkedDead_andTheTurnPassesOn() {
    nodes.start("ks-a", Map.of("FAKE_LLM_VOTES", "continue converged"));
    nodes.start("ks-b", Map.of("FAKE_LLM_VOTES", "continue converged"));
    String sid = submitAndAwaitJoins("collab-kill-seq", "sequential", 2, 3, 2);
    startAndKillMidRound(sid, "ks-c"); // joined last: the last turn of round 1

    nodes.awaitTask("collab-kill-seq", "completed", END);
    List<JsonNode> dead = nodes.events(sid, "collab.node_marked_dead");
    assertThat(dead).extracting(d -> d.path("node_id").asText()).containsExactly("ks-c");
    assertThat(dead.get(0).path("reason").asText()).isEqualTo("alive check failed");
    List<String> turns = new ArrayList<>();
    for (JsonNode t : nodes.events(sid, "collab.turn_advanced")) {
      turns.add(
          t.path("round_number").asInt()
              + ":"
              + t.path("previous_turn").asText()
              + ">"
              + t.path("current_turn").asText());
    }
    List<JsonNode> rounds = nodes.events(sid, "collab.round_started");
    List<String> order = new ArrayList<>();
    rounds.get(0).path("turn_order").forEach(n -> order.add(n.asText()));
    assertThat(order).as(nodes.timeline(sid)).endsWith("ks-c");
    // round 1: the two live turns, then the dead turn holder's turn passes to nobody
    assertThat(turns.subList(0, 3))
        .containsExactly(
            "1:" + order.get(0) + ">" + order.get(1), "1:" + order.get(1) + ">ks-c", "1:ks-c>null");
    assertThat(rounds.get(1).path("turn_order").toString()).doesNotContain("ks-c");
    assertThat(mesh.get("collab-kill-seq").path("result").path("rounds_taken").asInt())
        .isEqualTo(2);
    nodes.assertReplayReproduces(sid);
  }
}
