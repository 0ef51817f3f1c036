package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans (docs/plans.md) run by real worker processes, each with its own workspace, against the real
 * orchestrator, NATS and Postgres: approval gating and waves in order, a failure that blocks
 * exactly its dependents, and a collaboration session as one subtask. Solo subtasks use the {@code
 * shell} provider (the description writes {@code <subtask>.txt}, the metric checks it); the collab
 * test uses the fake LLM, which votes through {@code FAKE_LLM_VOTES}.
 */
class PlanE2eIT {
  private static final Duration PLAN_WAIT = Duration.ofSeconds(60);
  private static E2eMesh mesh;

  @TempDir Path tmp;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private final Map<String, Sandbox> boxes = new LinkedHashMap<>();

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

  /** Starts a worker process on node {@code node} with its own sandbox. */
  private void worker(String node, int maxAttempts, Consumer<Map<String, String>> tune) {
    Sandbox box = E2eMesh.sandbox(tmp.resolve(node));
    Map<String, String> env = mesh.workerEnv(node, box, maxAttempts);
    tune.accept(env);
    boxes.put(node, box);
    workers.add(WorkerProcess.start(env, tmp.resolve(node).resolve("log")));
  }

  private void shellWorkers(String prefix, int maxAttempts) {
    for (String n : List.of("a", "b", "c")) {
      worker(prefix + "-" + n, maxAttempts, env -> env.put("MESH_LLM_PROVIDER", "shell"));
    }
  }

  private String logs() {
    StringBuilder b = new StringBuilder();
    workers.forEach(w -> b.append(w.log()).append("\n-----\n"));
    return b.toString();
  }

  /** A parent task no worker can claim: it depends on a task that never exists. */
  private static void parent(String taskId) {
    mesh.submit(
        taskId, Map.of("title", "Parent " + taskId, "depends_on", List.of("never-" + taskId)));
  }

  /**
   * A subtask for the shell provider: the description writes {@code done-<id>} to {@code <id>.txt};
   * the metric checks it (or, with {@code failing}, checks a file nobody writes). It has a metric
   * and no sensitive word, so routing rule 6 sends it to {@code solo_mesh}.
   */
  private static Map<String, Object> shellSubtask(String id, boolean failing, String... deps) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("subtask_id", id);
    s.put("title", "Write part " + id);
    s.put("description", "printf 'done-" + id + "\\n' > " + id + ".txt");
    s.put(
        "metric",
        failing
            ? "test -f never-written-" + id + ".txt"
            : "grep -qx done-" + id + " " + id + ".txt");
    s.put("depends_on", List.of(deps));
    s.put("delegation", Map.of("mode", "auto"));
    return s;
  }

  private static JsonNode createPlan(String parent, boolean approval, List<?> subtasks) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parent_task_id", parent);
    body.put("title", "Plan for " + parent);
    body.put("requires_approval", approval);
    body.put("subtasks", subtasks);
    return mesh.client().ok("mesh.plans.create", body);
  }

  private static JsonNode plan(String planId) {
    return mesh.client().ok("mesh.plans.get", Map.of("plan_id", planId));
  }

  private static JsonNode subtask(JsonNode plan, String id) {
    for (JsonNode s : plan.path("subtasks")) {
      if (s.path("subtask_id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("no subtask " + id + " in " + plan);
  }

  /** Waits until the read model shows the plan completed, then returns it from the wire. */
  private JsonNode awaitPlanCompleted(String planId) {
    try {
      await()
          .atMost(PLAN_WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  mesh.rows("SELECT status FROM plans WHERE plan_id = ?", planId).stream()
                      .anyMatch(r -> "completed".equals(r.get("status"))));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          "plan " + planId + " did not complete: " + plan(planId) + "\nlogs:\n" + logs(), e);
    }
    return plan(planId);
  }

  /** The parent task once the plan has completed it. */
  private JsonNode awaitParentCompleted(String taskId) {
    mesh.awaitStatus(taskId, "completed", Duration.ofSeconds(20));
    return mesh.get(taskId);
  }

  /** The plan's events in the read model's event log: type and payload, in stream order. */
  private static List<Map<String, Object>> planEvents(String planId) {
    return mesh.rows(
        "SELECT seq, type, payload FROM event_log WHERE aggregate = 'plan' AND aggregate_id = ?"
            + " ORDER BY seq",
        planId);
  }

  /** Sequence numbers of the task's events of {@code type}. */
  private static List<Long> seqs(String taskId, String type) {
    return mesh
        .rows(
            "SELECT seq FROM event_log WHERE aggregate = 'task' AND aggregate_id = ? AND type = ?"
                + " ORDER BY seq",
            taskId,
            type)
        .stream()
        .map(r -> (Long) r.get("seq"))
        .toList();
  }

  /** The only sequence number of the task's event of {@code type}. */
  private static long seq(String taskId, String type) {
    List<Long> s = seqs(taskId, type);
    assertThat(s).as("%s of %s", type, taskId).hasSize(1);
    return s.get(0);
  }

  /**
   * Every task of wave n completed before any task of wave n + 1 was claimed, each claimed exactly
   * once.
   */
  private static void assertWavesInOrder(List<List<String>> waves) {
    for (int w = 0; w + 1 < waves.size(); w++) {
      long lastCompleted =
          waves.get(w).stream().mapToLong(t -> seq(t, "task.completed")).max().orElseThrow();
      long firstClaimed =
          waves.get(w + 1).stream().mapToLong(t -> seq(t, "task.claimed")).min().orElseThrow();
      assertThat(lastCompleted)
          .as("wave %d completed before wave %d is claimed", w, w + 1)
          .isLessThan(firstClaimed);
    }
  }

  /** Payloads of {@code plan.wave_dispatched}: wave number to its subtask ids. */
  private static Map<Integer, List<String>> dispatchedWaves(List<Map<String, Object>> events) {
    Map<Integer, List<String>> waves = new LinkedHashMap<>();
    for (Map<String, Object> e : events) {
      if (e.get("type").equals("plan.wave_dispatched")) {
        JsonNode p = (JsonNode) e.get("payload");
        List<String> ids = new ArrayList<>();
        p.path("subtask_ids").forEach(i -> ids.add(i.asText()));
        assertThat(waves.put(p.path("wave").asInt(), ids))
            .as("wave %s dispatched once", p.path("wave"))
            .isNull();
      }
    }
    return waves;
  }

  /** The subtask's work is at the HEAD of the workspace of the node that ran it. */
  private void assertMergedByOwner(String id) {
    JsonNode task = mesh.get(id);
    String owner = task.path("owner").asText();
    assertThat(boxes).as("owner of %s: %s", id, task).containsKey(owner);
    assertThat(task.path("result").path("merged").asBoolean()).as(task.toString()).isTrue();
    assertThat(boxes.get(owner).atHead(id + ".txt")).isEqualTo("done-" + id);
  }

  private static ObjectNode parentResult(String planId, boolean success, int subtasks) {
    return Json.mapper()
        .createObjectNode()
        .put("success", success)
        .put("summary", "Plan " + planId + " completed (" + subtasks + " subtasks)")
        .put("plan_id", planId);
  }

  @Test
  void threeWavePlan_needingApproval_runsNothingBeforeApproval_thenWavesInOrder_andCompletes() {
    shellWorkers("pw", 2);
    parent("pe-parent");
    JsonNode created =
        createPlan(
            "pe-parent",
            true,
            List.of(
                shellSubtask("pe-a", false),
                shellSubtask("pe-b", false, "pe-a"),
                shellSubtask("pe-c", false, "pe-a"),
                shellSubtask("pe-d", false, "pe-b", "pe-c")));
    String pid = created.path("plan_id").asText();
    assertThat(created.path("status").asText()).isEqualTo("review");
    assertThat(created.path("estimated_waves").asInt()).isEqualTo(3);
    List<Integer> waves = new ArrayList<>();
    created.path("subtasks").forEach(s -> waves.add(s.path("wave").asInt()));
    assertThat(waves).containsExactly(0, 1, 1, 2);
    created
        .path("subtasks")
        .forEach(
            s -> {
              assertThat(s.path("delegation").path("mode").asText()).isEqualTo("solo_mesh");
              assertThat(s.path("delegation").path("reason").asText())
                  .isEqualTo("rule 6: has a metric");
            });

    // Three idle workers and a sweep every 0.2 s: still nothing is dispatched while in review.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                plan(pid).path("status").asText().equals("review")
                    && mesh.rows(
                            "SELECT task_id FROM tasks WHERE task_id LIKE 'pe-%'"
                                + " AND task_id <> 'pe-parent'")
                        .isEmpty()
                    && planEvents(pid).stream()
                        .noneMatch(e -> e.get("type").equals("plan.wave_dispatched")));

    JsonNode approved =
        mesh.client().ok("mesh.plans.approve", Map.of("plan_id", pid, "approved_by", "e2e-lead"));
    assertThat(approved.path("status").asText()).isEqualTo("executing");
    assertThat(approved.path("approved_by").asText()).isEqualTo("e2e-lead");

    JsonNode done = awaitPlanCompleted(pid);
    assertThat(done.path("success").asBoolean()).as(done.toString()).isTrue();
    for (String id : List.of("pe-a", "pe-b", "pe-c", "pe-d")) {
      JsonNode s = subtask(done, id);
      assertThat(s.path("status").asText()).as(s.toString()).isEqualTo("completed");
      assertThat(s.path("mesh_task_id").asText()).isEqualTo(id);
      assertThat(mesh.status(id)).isEqualTo("completed");
      assertMergedByOwner(id);
    }

    List<Map<String, Object>> events = planEvents(pid);
    assertThat(events.stream().map(e -> (String) e.get("type")).limit(5))
        .containsExactly(
            "plan.created",
            "plan.submitted_for_review",
            "plan.approved",
            "plan.execution_started",
            "plan.wave_dispatched");
    assertThat(dispatchedWaves(events))
        .containsExactly(
            Map.entry(0, List.of("pe-a")),
            Map.entry(1, List.of("pe-b", "pe-c")),
            Map.entry(2, List.of("pe-d")));
    assertThat(events.stream().filter(e -> e.get("type").equals("plan.completed"))).hasSize(1);
    assertWavesInOrder(List.of(List.of("pe-a"), List.of("pe-b", "pe-c"), List.of("pe-d")));
    long approvedSeq =
        events.stream()
            .filter(e -> e.get("type").equals("plan.approved"))
            .mapToLong(e -> (Long) e.get("seq"))
            .findFirst()
            .orElseThrow();
    assertThat(seq("pe-a", "task.submitted")).isGreaterThan(approvedSeq);

    JsonNode parent = awaitParentCompleted("pe-parent");
    assertThat(parent.path("result")).isEqualTo(parentResult(pid, true, 4));
  }

  @Test
  void failingSubtask_blocksExactlyItsDependents_independentBranchCompletes_planFails() {
    shellWorkers("fw", 1);
    parent("pf-parent");
    // pf-x fails (wave 0) -> pf-b (1) -> pf-d (2) are blocked; pf-a -> pf-c -> pf-e run on.
    String pid =
        createPlan(
                "pf-parent",
                false,
                List.of(
                    shellSubtask("pf-a", false),
                    shellSubtask("pf-x", true),
                    shellSubtask("pf-b", false, "pf-x"),
                    shellSubtask("pf-c", false, "pf-a"),
                    shellSubtask("pf-d", false, "pf-b"),
                    shellSubtask("pf-e", false, "pf-a", "pf-c")))
            .path("plan_id")
            .asText();

    JsonNode done = awaitPlanCompleted(pid);
    assertThat(done.path("success").asBoolean()).as(done.toString()).isFalse();
    Map<String, String> statuses = new LinkedHashMap<>();
    done.path("subtasks")
        .forEach(s -> statuses.put(s.path("subtask_id").asText(), s.path("status").asText()));
    assertThat(statuses)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "pf-a", "completed",
                "pf-x", "failed",
                "pf-b", "blocked",
                "pf-c", "completed",
                "pf-d", "blocked",
                "pf-e", "completed"));

    // The failure: its metric never passed, so the worker released it after its one attempt.
    JsonNode x = mesh.get("pf-x");
    assertThat(x.path("status").asText()).isEqualTo("released");
    assertThat(x.path("result").path("summary").asText()).startsWith("Exhausted 1/1 attempts.");
    assertThat(boxes.get(x.path("owner").asText()).headFiles()).doesNotContain("pf-x.txt");
    // Blocked subtasks never became mesh tasks.
    for (String id : List.of("pf-b", "pf-d")) {
      assertThat(mesh.client().taskError("get", Map.of("task_id", id)))
          .isEqualTo("Task " + id + " not found");
      assertThat(subtask(done, id).path("mesh_task_id").isNull()).isTrue();
    }
    for (String id : List.of("pf-a", "pf-c", "pf-e")) {
      assertMergedByOwner(id);
    }

    List<Map<String, Object>> events = planEvents(pid);
    List<String> blocked = new ArrayList<>();
    JsonNode failed = null;
    for (Map<String, Object> e : events) {
      JsonNode p = (JsonNode) e.get("payload");
      switch ((String) e.get("type")) {
        case "plan.subtask_blocked" -> blocked.add(p.path("subtask_id").asText());
        case "plan.subtask_failed" -> {
          assertThat(failed).as("one subtask failed").isNull();
          failed = p;
        }
        default -> {}
      }
    }
    assertThat(blocked).containsExactlyInAnyOrder("pf-b", "pf-d");
    assertThat(failed).isNotNull();
    assertThat(failed.path("subtask_id").asText()).isEqualTo("pf-x");
    assertThat(failed.path("task_status").asText()).isEqualTo("released");
    assertThat(dispatchedWaves(events))
        .containsExactly(
            Map.entry(0, List.of("pf-a", "pf-x")),
            Map.entry(1, List.of("pf-c")),
            Map.entry(2, List.of("pf-e")));
    long releasedX = seq("pf-x", "task.released");
    assertThat(releasedX).isLessThan(seq("pf-c", "task.claimed"));
    assertWavesInOrder(List.of(List.of("pf-a"), List.of("pf-c"), List.of("pf-e")));

    JsonNode parent = awaitParentCompleted("pf-parent");
    assertThat(parent.path("result"))
        .isEqualTo(
            parentResult(pid, false, 6)
                .put(
                    "summary",
                    "Plan " + pid + " completed: 3 of 6 subtasks succeeded (1 failed, 2 blocked)"));
  }

  @Test
  void collabSubtask_runsAsARealSession_withTheWorkers_andThePlanContinues() {
    for (String node : List.of("cw-a", "cw-b", "cw-c")) {
      worker(
          node,
          1,
          env -> {
            env.put("FAKE_LLM_VOTES", "converged");
            env.put("FAKE_LLM_WRITE", node + ".txt");
            env.put("MESH_COLLAB_CHECK_INTERVAL", "500");
          });
    }
    parent("pc-parent");
    Map<String, Object> review = new LinkedHashMap<>();
    review.put("subtask_id", "pc-review");
    review.put("title", "Review the login flow");
    review.put("description", "Check the session handling together");
    review.put("scope", List.of("auth/session.txt"));
    review.put("depends_on", List.of("pc-first"));
    review.put("delegation", Map.of("mode", "auto"));
    JsonNode created =
        createPlan(
            "pc-parent",
            false,
            List.of(
                Map.of(
                    "subtask_id",
                    "pc-first",
                    "title",
                    "Prepare the tree",
                    "delegation",
                    Map.of("mode", "solo_mesh")),
                review,
                Map.of(
                    "subtask_id",
                    "pc-last",
                    "title",
                    "Tidy up after the review",
                    "depends_on",
                    List.of("pc-review"),
                    "delegation",
                    Map.of("mode", "solo_mesh"))));
    String pid = created.path("plan_id").asText();
    JsonNode delegation = subtask(created, "pc-review").path("delegation");
    assertThat(delegation.path("mode").asText()).isEqualTo("collab_mesh");
    assertThat(delegation.path("reason").asText())
        .isEqualTo("rule 4: sensitive scope 'auth/session.txt'");
    assertThat(delegation.path("collaboration").path("mode").asText()).isEqualTo("review");

    JsonNode done = awaitPlanCompleted(pid);
    assertThat(done.path("success").asBoolean()).as(done.toString()).isTrue();
    done.path("subtasks")
        .forEach(
            s -> assertThat(s.path("status").asText()).as(s.toString()).isEqualTo("completed"));

    // The collab subtask's task ran as a session of the three real workers that converged.
    JsonNode task = mesh.get("pc-review");
    assertThat(task.path("status").asText()).isEqualTo("completed");
    assertThat(task.path("tags").toString()).isEqualTo("[\"plan\",\"" + pid + "\"]");
    String sid = task.path("collab_session_id").asText();
    assertThat(sid).startsWith("collab-pc-review-");
    assertThat(task.path("result").path("summary").asText())
        .as(task.toString())
        .startsWith("Converged after 1 rounds with 3 nodes");
    assertThat(mesh.rows("SELECT status, mode FROM collab_sessions WHERE session_id = ?", sid))
        .containsExactly(Map.of("status", "completed", "mode", "review"));
    assertThat(
            mesh.rows(
                "SELECT node_id FROM collab_members WHERE session_id = ? ORDER BY node_id", sid))
        .extracting(m -> m.get("node_id"))
        .containsExactly("cw-a", "cw-b", "cw-c");
    // Rule 4's review session: one leader with the scope, two reviewers with review-only scopes.
    JsonNode assignments =
        (JsonNode)
            mesh.rows(
                    "SELECT assignments FROM collab_rounds WHERE session_id = ? AND round_number = 1",
                    sid)
                .get(0)
                .get("assignments");
    List<String> roles = new ArrayList<>();
    for (JsonNode a : assignments) {
      roles.add(a.path("role").asText() + " " + a.path("scope"));
    }
    assertThat(roles)
        .as(assignments.toString())
        .containsExactlyInAnyOrder(
            "leader [\"auth/session.txt\"]",
            "reviewer [\"[REVIEW-ONLY] auth/session.txt\"]",
            "reviewer [\"[REVIEW-ONLY] auth/session.txt\"]");
    List<Map<String, Object>> refl =
        mesh.rows(
            "SELECT round_number, node_id, vote, parse_failed FROM collab_reflections"
                + " WHERE session_id = ? ORDER BY node_id",
            sid);
    assertThat(refl).extracting(r -> r.get("node_id")).containsExactly("cw-a", "cw-b", "cw-c");
    assertThat(refl).extracting(r -> r.get("round_number")).containsOnly(1);
    assertThat(refl).extracting(r -> r.get("vote")).containsOnly("converged");
    assertThat(refl).extracting(r -> r.get("parse_failed")).containsOnly(false);
    List<String> sessionEvents =
        mesh
            .rows(
                "SELECT type FROM event_log WHERE aggregate = 'collab' AND aggregate_id = ?"
                    + " ORDER BY seq",
                sid)
            .stream()
            .map(r -> (String) r.get("type"))
            .toList();
    assertThat(sessionEvents)
        .startsWith("collab.session_created")
        .contains("collab.round_started", "collab.converged")
        .endsWith("collab.completed");
    assertThat(sessionEvents.stream().filter(t -> t.equals("collab.node_joined"))).hasSize(3);

    // The plan continued only after the session: wave 2 went out after the collab task completed.
    assertThat(dispatchedWaves(planEvents(pid)))
        .containsExactly(
            Map.entry(0, List.of("pc-first")),
            Map.entry(1, List.of("pc-review")),
            Map.entry(2, List.of("pc-last")));
    // Submitted, not claimed: its session is created with the submission and may fill with
    // recruited idle workers before any claims the task; the session then settles it unclaimed.
    assertThat(seq("pc-first", "task.completed")).isLessThan(seq("pc-review", "task.submitted"));
    assertThat(seq("pc-review", "task.completed")).isLessThan(seq("pc-last", "task.claimed"));
    assertThat(mesh.status("pc-last")).isEqualTo("completed");

    JsonNode parent = awaitParentCompleted("pc-parent");
    assertThat(parent.path("result")).isEqualTo(parentResult(pid, true, 3));
  }
}
