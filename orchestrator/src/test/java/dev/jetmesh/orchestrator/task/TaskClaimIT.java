package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.WAIT;
import static dev.jetmesh.orchestrator.task.TaskMesh.fenced;
import static dev.jetmesh.orchestrator.task.TaskMesh.instant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claiming over NATS: what a claim sets (owner, deadline, fencing token), one active task per node,
 * the claim order (preferred node, then priority, then age), exclusions, and dependencies that hold
 * a task back until every one of them has completed.
 */
class TaskClaimIT {
  static TaskMesh tasks;
  static MeshClient client;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of());
    client = tasks.client();
  }

  @AfterAll
  static void down() {
    tasks.close();
  }

  @BeforeEach
  void cancelLeftovers() {
    tasks.cancelUnfinished();
  }

  @Test
  void claim_setsOwnerClaimedAtDeadlineAndToken() {
    tasks.submit("cl-1", "budget_minutes", 7);
    tasks.awaitProjected();
    JsonNode c = tasks.claim("node-cl");
    assertThat(c.path("task_id").asText()).isEqualTo("cl-1");
    assertThat(c.path("status").asText()).isEqualTo("claimed");
    assertThat(c.path("owner").asText()).isEqualTo("node-cl");
    Instant claimedAt = instant(c.path("claimed_at"));
    assertThat(instant(c.path("budget_deadline"))).isEqualTo(claimedAt.plus(Duration.ofMinutes(7)));
    assertThat(c.path("claim_token").isIntegralNumber()).isTrue();
    assertThat(c.path("claim_token").asLong()).isPositive();
    assertThat(tasks.get("cl-1").path("claim_token").asLong())
        .isEqualTo(c.path("claim_token").asLong());
  }

  @Test
  void claim_whenNothingClaimable_repliesOkWithNull() {
    JsonNode reply = client.request("mesh.tasks.claim", Map.of("node_id", "idle-node"));
    assertThat(reply.path("ok").asBoolean()).isTrue();
    assertThat(reply.has("data")).isTrue();
    assertThat(reply.get("data").isNull()).isTrue();
  }

  @Test
  void claim_errors_haveReferenceStrings() {
    tasks.refused("claim", Map.of(), "node_id is required");
    tasks.refused("claim", Map.of("node_id", ""), "node_id is required");
    tasks.submitAndClaim("busy-1", "busy-node");
    tasks.submit("busy-2");
    tasks.awaitProjected();
    tasks.refused(
        "claim",
        Map.of("node_id", "busy-node"),
        "Node busy-node already has an active task: busy-1");
    tasks.asOwner("start", "busy-1");
    tasks.refused(
        "claim",
        Map.of("node_id", "busy-node"),
        "Node busy-node already has an active task: busy-1");
    tasks.asOwner("complete", "busy-1");
    assertThat(tasks.claim("busy-node").path("task_id").asText()).isEqualTo("busy-2");
  }

  @Test
  void claim_order_preferredFirst_thenPriorityDesc_thenAge() {
    tasks.submit("ord-a", "priority", 1);
    tasks.submit("ord-b", "priority", 9);
    tasks.submit("ord-c", "priority", 9);
    tasks.submit("ord-d", "priority", 0, "preferred_nodes", List.of("pref-node"));
    tasks.submit("ord-e", "priority", 0, "preferred_nodes", List.of("pref-node"));
    tasks.submit("ord-f", "priority", 3, "preferred_nodes", List.of("pref-node"));
    tasks.awaitProjected();
    // preferred for pref-node: by priority, then age, before any higher-priority task
    assertThat(tasks.claim("pref-node").path("task_id").asText()).isEqualTo("ord-f");
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonNode c = tasks.claim("ord-n" + i);
      order.add(c.path("task_id").asText());
    }
    assertThat(order).containsExactly("ord-b", "ord-c", "ord-a", "ord-d", "ord-e");
    assertThat(tasks.claim("ord-n9").isNull()).isTrue();
  }

  @Test
  void claim_preferredNodeTask_isStillClaimableByOthers_afterHigherPriorities() {
    tasks.submit("pr-1", "priority", 5, "preferred_nodes", List.of("someone-else"));
    tasks.awaitProjected();
    assertThat(tasks.claim("pr-other").path("task_id").asText()).isEqualTo("pr-1");
  }

  @Test
  void claim_excludedNode_neverGetsTheTask() {
    tasks.submit("ex-1", "priority", 100, "exclude_nodes", List.of("ex-node"));
    tasks.submit("ex-2", "priority", 0);
    tasks.awaitProjected();
    assertThat(tasks.claim("ex-node").path("task_id").asText()).isEqualTo("ex-2");
    tasks.asOwner("complete", "ex-2");
    assertThat(tasks.claim("ex-node").isNull()).isTrue();
    assertThat(tasks.claim("ex-other").path("task_id").asText()).isEqualTo("ex-1");
  }

  @Test
  void claim_excludedAndPreferred_excludeWins() {
    tasks.submit(
        "exp-1", "preferred_nodes", List.of("exp-node"), "exclude_nodes", List.of("exp-node"));
    tasks.awaitProjected();
    assertThat(tasks.claim("exp-node").isNull()).isTrue();
  }

  @Test
  void claim_dependent_onlyAfterEveryDependencyExistsAndIsCompleted() {
    tasks.submit("dep-child", "depends_on", List.of("dep-parent"), "priority", 50);
    tasks.awaitProjected();
    assertThat(tasks.claim("dep-n1").isNull()).as("dependency does not exist yet").isTrue();

    tasks.submit("dep-parent");
    tasks.awaitProjected();
    JsonNode parent = tasks.claim("dep-n1");
    assertThat(parent.path("task_id").asText())
        .as("dependency exists but is not completed")
        .isEqualTo("dep-parent");
    assertThat(tasks.claim("dep-n2").isNull()).isTrue();
    client.task("start", fenced("dep-parent", parent));
    tasks.awaitProjected();
    assertThat(tasks.claim("dep-n2").isNull()).as("dependency running, not completed").isTrue();
    client.task("complete", fenced("dep-parent", parent));

    JsonNode[] got = new JsonNode[1];
    await()
        .atMost(WAIT)
        .until(
            () -> {
              got[0] = tasks.claim("dep-n2");
              return !got[0].isNull();
            });
    assertThat(got[0].path("task_id").asText()).isEqualTo("dep-child");
  }

  @Test
  void claim_dependent_needsAllDependencies_andAFailedOneBlocksForever() {
    tasks.submit("dd-a");
    tasks.submit("dd-b");
    tasks.submit("dd-child", "depends_on", List.of("dd-a", "dd-b"), "priority", 50);
    tasks.awaitProjected();
    JsonNode a = tasks.claim("dd-n1");
    JsonNode b = tasks.claim("dd-n2");
    assertThat(List.of(a.path("task_id").asText(), b.path("task_id").asText()))
        .containsExactlyInAnyOrder("dd-a", "dd-b");
    tasks.asOwner("complete", "dd-a");
    tasks.awaitProjected();
    assertThat(tasks.claim("dd-n3").isNull()).as("one of two dependencies completed").isTrue();
    tasks.asOwner("fail", "dd-b", "reason", "nope");
    tasks.awaitProjected();
    assertThat(tasks.claim("dd-n3").isNull()).as("a failed dependency never completes").isTrue();
  }
}
