package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "One active task per node" across a restart: the new process has no memory of the claims, so only
 * the projected {@code node_active} rows can tell it that a node is busy; they must follow every
 * way a task is taken and given up.
 */
class NodeActiveIT {
  static TaskMesh tasks;
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of());
    mesh = tasks.mesh();
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

  /** node → the tasks node_active says it holds, for nodes holding any. */
  private static Map<String, List<String>> nodeActive() throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    try (var c = mesh.db().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT node_id, task_ids FROM node_active WHERE cardinality(task_ids) > 0")) {
      while (rs.next()) {
        Array a = rs.getArray(2);
        List<String> ids = new ArrayList<>(Arrays.asList((String[]) a.getArray()));
        ids.sort(null);
        out.put(rs.getString(1), ids);
      }
    }
    return out;
  }

  @Test
  void aBusyNode_isRefusedByAFreshProcess_untilItsTaskEnds_howeverItEnds() throws Exception {
    for (String id : List.of("na-1", "na-2", "na-3", "na-4", "na-5", "na-6")) {
      tasks.submit(id);
    }
    mesh.awaitProjected();
    String a = tasks.claim("node-a").path("task_id").asText();
    String b = tasks.claim("node-b").path("task_id").asText();
    String c = tasks.claim("node-c").path("task_id").asText();
    tasks.asOwner("start", b);
    mesh.awaitProjected();
    assertThat(nodeActive())
        .isEqualTo(Map.of("node-a", List.of(a), "node-b", List.of(b), "node-c", List.of(c)));

    mesh.stopOrchestrator();
    mesh.startOrchestrator();
    for (var e : Map.of("node-a", a, "node-b", b, "node-c", c).entrySet()) {
      assertThat(client.taskError("claim", Map.of("node_id", e.getKey())))
          .isEqualTo("Node " + e.getKey() + " already has an active task: " + e.getValue());
    }

    // completed, released, cancelled: each frees its node, and only its node
    tasks.asOwner("complete", a);
    tasks.asOwner("release", b, "reason", "giving up");
    mesh.awaitProjected();
    assertThat(nodeActive()).isEqualTo(Map.of("node-c", List.of(c)));
    mesh.stopOrchestrator();
    mesh.startOrchestrator();
    assertThat(client.taskError("claim", Map.of("node_id", "node-c")))
        .isEqualTo("Node node-c already has an active task: " + c);
    String a2 = tasks.claim("node-a").path("task_id").asText();
    String b2 = tasks.claim("node-b").path("task_id").asText();
    client.task("cancel", Map.of("task_id", c, "reason", "not needed"));
    mesh.awaitProjected();
    assertThat(nodeActive()).isEqualTo(Map.of("node-a", List.of(a2), "node-b", List.of(b2)));
    assertThat(tasks.claim("node-c").path("task_id").asText()).isNotBlank();
  }

  @Test
  void aDependencyCompletedAfterARestart_unblocksItsDependent() throws Exception {
    client.task("submit", Map.of("task_id", "dep-parent", "title", "first"));
    client.task(
        "submit",
        Map.of("task_id", "dep-child", "title", "then", "depends_on", List.of("dep-parent")));
    mesh.awaitProjected();
    assertThat(tasks.claim("node-d1").path("task_id").asText()).isEqualTo("dep-parent");
    // The new process reads from the read model that a task waits on a dependency.
    mesh.stopOrchestrator();
    mesh.startOrchestrator();
    mesh.awaitProjected();
    assertThat(tasks.claim("node-d2").isNull()).as("child still blocked").isTrue();
    tasks.asOwner("complete", "dep-parent");
    mesh.awaitProjected();
    assertThat(tasks.claim("node-d2").path("task_id").asText()).isEqualTo("dep-child");
  }

  @Test
  void aTaskClaimedAndEndedInOneBatch_leavesItsNodeFree() throws Exception {
    tasks.submit("quick-1");
    mesh.awaitProjected();
    // Claimed and completed back to back: applied in one batch or in two, the node ends up free.
    String id = tasks.claim("node-q").path("task_id").asText();
    tasks.asOwner("complete", id);
    mesh.awaitProjected();
    assertThat(nodeActive()).doesNotContainKey("node-q");
  }
}
