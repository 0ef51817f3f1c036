package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.fenced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.projection.Projector;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Claims are chosen from the in-memory {@link ClaimIndex} while this process's projector runs, and
 * from the read model's indexes elsewhere (a standby replica). The index must show exactly what the
 * read model shows, through every kind of change and after a restart, and both sources must choose
 * the same tasks.
 */
class ClaimIndexIT {
  static TaskMesh tasks;
  static TestMesh mesh;
  static MeshClient client;

  /** A mesh whose index is switched off, as on a standby replica: claims use the read model. */
  static TaskMesh readModelTasks;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of());
    mesh = tasks.mesh();
    client = tasks.client();
    readModelTasks = TaskMesh.start(Map.of());
    TestMesh standby = readModelTasks.mesh();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> standby.orchestrator().projector().state() == Projector.State.RUNNING);
    standby.orchestrator().claimIndex().disable();
  }

  @AfterAll
  static void down() {
    tasks.close();
    readModelTasks.close();
  }

  @BeforeEach
  void cancelLeftovers() {
    tasks.cancelUnfinished();
    readModelTasks.cancelUnfinished();
  }

  private static TaskMesh tasks(boolean fromIndex) {
    return fromIndex ? tasks : readModelTasks;
  }

  /** What the read model says, in the index's terms. */
  private static ClaimIndex.Snapshot readModel(TestMesh m) throws Exception {
    List<String> claimable = new ArrayList<>();
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, Set<String>> held = new TreeMap<>();
    try (Connection c = m.db().connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT task_id FROM tasks WHERE status = 'queued' AND deps_pending = 0"
                  + " ORDER BY priority DESC, submitted_seq")) {
        while (rs.next()) {
          claimable.add(rs.getString(1));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT task_id, deps_pending FROM tasks"
                  + " WHERE status = 'queued' AND deps_pending > 0")) {
        while (rs.next()) {
          waiting.put(rs.getString(1), rs.getInt(2));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT node_id, task_ids FROM node_active WHERE cardinality(task_ids) > 0")) {
        while (rs.next()) {
          held.put(rs.getString(1), Set.of((String[]) rs.getArray(2).getArray()));
        }
      }
    }
    return new ClaimIndex.Snapshot(claimable, waiting, held);
  }

  private static void assertIndexEqualsReadModel(String when) throws Exception {
    mesh.awaitProjected();
    ClaimIndex index = mesh.orchestrator().claimIndex();
    assertThat(index.live()).as("index live %s", when).isTrue();
    assertThat(index.reflects()).isEqualTo(mesh.orchestrator().watermark().current());
    ClaimIndex.Snapshot expected = readModel(mesh);
    ClaimIndex.Snapshot actual = index.snapshot();
    assertThat(actual.claimable())
        .as("claimable, in claim order, %s", when)
        .isEqualTo(expected.claimable());
    assertThat(actual.waiting())
        .as("waiting on dependencies %s", when)
        .isEqualTo(expected.waiting());
    assertThat(new TreeMap<>(actual.held())).as("held %s", when).isEqualTo(expected.held());
  }

  @Test
  void theIndex_equalsTheReadModel_throughEveryKindOfChange_andAfterARestart() throws Exception {
    Random random = new Random(20261125);
    List<String> nodes = List.of("ix-n0", "ix-n1", "ix-n2", "ix-n3", "ix-n4", "ix-n5");
    List<String> submitted = new ArrayList<>();
    Map<String, JsonNode> held = new LinkedHashMap<>();
    for (int i = 0; i < 120; i++) {
      submitRandom(random, nodes, submitted);
      if (i % 40 == 39) {
        assertIndexEqualsReadModel("after " + (i + 1) + " submissions");
      }
    }

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 40; i++) {
        submitRandom(random, nodes, submitted);
      }
      for (int op = 0; op < 120; op++) {
        int what = random.nextInt(10);
        if (what < 4 || held.isEmpty()) {
          String node = nodes.get(random.nextInt(nodes.size()));
          JsonNode r = client.request("mesh.tasks.claim", Map.of("node_id", node));
          JsonNode data = r.path("data");
          if (r.path("ok").asBoolean() && data.isObject()) {
            held.put(data.path("task_id").asText(), data);
          }
        } else {
          String id = new ArrayList<>(held.keySet()).get(random.nextInt(held.size()));
          JsonNode claimed = held.get(id);
          Map<String, Object> ref =
              Map.of(
                  "task_id", id,
                  "node_id", claimed.path("owner").asText(),
                  "claim_token", claimed.path("claim_token").asLong());
          switch (what) {
            case 4 -> client.task("start", ref);
            case 5, 6 -> {
              client.task("complete", ref);
              held.remove(id);
            }
            case 7 -> {
              client.task("fail", ref);
              held.remove(id);
            }
            case 8 -> {
              client.task("release", ref);
              held.remove(id);
            }
            default -> {
              String victim = submitted.get(random.nextInt(submitted.size()));
              client.request(
                  "mesh.tasks.cancel", Map.of("task_id", victim, "reason", "index test"));
              held.remove(victim);
            }
          }
        }
      }
      assertIndexEqualsReadModel("after round " + round);
    }
    for (String node : nodes) {
      JsonNode r = client.request("mesh.tasks.claim", Map.of("node_id", node));
      if (r.path("ok").asBoolean() && r.path("data").isObject()) {
        held.put(r.path("data").path("task_id").asText(), r.path("data"));
      }
    }
    assertIndexEqualsReadModel("with every node busy");
    assertThat(held).as("tasks held across the restart").hasSizeGreaterThan(3);
    assertThat(mesh.orchestrator().claimIndex().snapshot().waiting()).isNotEmpty();

    // A new process loads the index from the read model, then keeps it as before.
    mesh.stopOrchestrator();
    mesh.startOrchestrator();
    await().atMost(Duration.ofSeconds(20)).until(() -> mesh.orchestrator().claimIndex().live());
    assertIndexEqualsReadModel("after a restart");
    for (String id : List.copyOf(held.keySet())) {
      client.task("complete", fenced(id, held.get(id)));
    }
    assertIndexEqualsReadModel("after completing every held task");
    assertThat(mesh.orchestrator().claimIndex().snapshot().held())
        .doesNotContainKeys(nodes.toArray(String[]::new));
  }

  @ParameterizedTest(name = "from the index: {0}")
  @ValueSource(booleans = {true, false})
  void bothSources_preferTheNode_thenPriority_thenAge_andHonourExclusions(boolean fromIndex) {
    TaskMesh t = tasks(fromIndex);
    assertThat(t.mesh().orchestrator().claimIndex().live()).isEqualTo(fromIndex);
    String p = fromIndex ? "oi-" : "or-";
    t.submit(p + "a", "priority", 1);
    t.submit(p + "b", "priority", 9, "exclude_nodes", List.of(p + "n0"));
    t.submit(p + "c", "priority", 9);
    t.submit(p + "d", "priority", 0, "preferred_nodes", List.of(p + "pref"));
    t.submit(p + "e", "priority", 3, "preferred_nodes", List.of(p + "pref"));
    t.awaitProjected();
    List<String> order = new ArrayList<>();
    order.add(t.claimedId(p + "pref"));
    order.add(t.claimedId(p + "n0"));
    for (int i = 1; i <= 3; i++) {
      order.add(t.claimedId(p + "n" + i));
    }
    assertThat(order).containsExactly(p + "e", p + "c", p + "b", p + "a", p + "d");
    assertThat(t.claimedId(p + "n9")).isNull();
  }

  @ParameterizedTest(name = "from the index: {0}")
  @ValueSource(booleans = {true, false})
  void bothSources_holdADependentBack_untilEveryDependencyCompleted(boolean fromIndex) {
    String p = fromIndex ? "di-" : "dr-";
    TaskMesh t = tasks(fromIndex);
    t.submit(p + "child", "priority", 50, "depends_on", List.of(p + "x", p + "y"));
    t.submit(p + "x");
    t.submit(p + "y");
    t.awaitProjected();
    String first = t.claimedId(p + "n1");
    String second = t.claimedId(p + "n2");
    assertThat(List.of(first, second)).containsExactlyInAnyOrder(p + "x", p + "y");
    t.asOwner("complete", first);
    t.awaitProjected();
    assertThat(t.claimedId(p + "n3")).as("one dependency still running").isNull();
    t.asOwner("complete", second);
    t.awaitProjected();
    assertThat(t.claimedId(p + "n3")).isEqualTo(p + "child");
    assertThat(t.client().taskError("claim", Map.of("node_id", p + "n3")))
        .isEqualTo("Node " + p + "n3 already has an active task: " + p + "child");
  }

  @Test
  void aLiveIndexAnswersLooks_aDisabledOneAnswersNull_soClaimsAskTheReadModel() {
    String p = "lv-";
    tasks.submit(p + "a", "priority", 5);
    tasks.awaitProjected();
    ClaimIndex live = mesh.orchestrator().claimIndex();
    ClaimIndex off = readModelTasks.mesh().orchestrator().claimIndex();

    assertThat(live.nextIfLive(p + "n", id -> !id.startsWith(p))).contains(p + "a");
    assertThat(live.heldIfLive(p + "n")).isEmpty();
    assertThat(off.nextIfLive(p + "n", id -> false)).isNull();
    assertThat(off.heldIfLive(p + "n")).isNull();
  }

  /** Submits a task with random priority, node preferences and dependencies on earlier ones. */
  private static void submitRandom(Random random, List<String> nodes, List<String> submitted) {
    String id = "ix-" + submitted.size();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("title", "Task " + id);
    body.put("priority", random.nextInt(5));
    if (random.nextInt(5) == 0) {
      body.put("preferred_nodes", List.of(nodes.get(random.nextInt(4))));
    }
    if (random.nextInt(6) == 0) {
      body.put("exclude_nodes", List.of(nodes.get(random.nextInt(4))));
    }
    if (!submitted.isEmpty() && random.nextInt(4) == 0) {
      Set<String> deps = new TreeSet<>();
      for (int d = 0; d <= random.nextInt(2); d++) {
        deps.add(submitted.get(random.nextInt(submitted.size())));
      }
      if (random.nextInt(10) == 0) {
        deps.add("ix-never-submitted");
      }
      body.put("depends_on", List.copyOf(deps));
    }
    client.task("submit", body);
    submitted.add(id);
  }
}
