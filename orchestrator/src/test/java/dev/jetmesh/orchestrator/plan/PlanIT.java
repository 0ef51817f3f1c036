package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.plan.PlanFixtures.create;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.parent;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.rows;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.solo;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.status;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.subtask;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.work;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plans end to end against a real nats-server, Postgres and an in-process orchestrator, with
 * workers simulated over NATS (claim, start, complete or fail).
 */
class PlanIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of("MESH_SWEEP_SECONDS", "0.2"));
    client = mesh.client();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  /** Runs the simulated worker until the plan leaves {@code executing}. */
  static void runToEnd(String planId, Set<String> fail) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              work(client, fail);
              return !status(client, planId).equals("executing");
            });
  }

  static List<List<String>> planEvents(String planId) throws Exception {
    mesh.awaitProjected();
    try (Connection c = mesh.db().connect()) {
      return rows(
          c,
          "SELECT type, payload::text, seq FROM event_log WHERE aggregate = 'plan'"
              + " AND aggregate_id = ? ORDER BY seq",
          planId);
    }
  }

  static long seqOf(String type, String taskId) throws Exception {
    try (Connection c = mesh.db().connect()) {
      List<List<String>> r =
          rows(
              c,
              "SELECT seq FROM event_log WHERE aggregate = 'task' AND aggregate_id = ? AND type = '"
                  + type
                  + "'",
              taskId);
      assertThat(r).as("%s of %s", type, taskId).hasSize(1);
      return Long.parseLong(r.get(0).get(0));
    }
  }

  @Test
  void threeWavePlan_withFanOutAndFanIn_runsWavesInOrder_andCompletesTheParent() throws Exception {
    parent(client, "p-three");
    JsonNode plan =
        create(
            client,
            "p-three",
            false,
            List.of(
                solo("tw-a", "Write the lexer"),
                solo("tw-b", "Write the parser", "tw-a"),
                solo("tw-c", "Write the printer", "tw-a"),
                solo("tw-d", "Join the outputs", "tw-b", "tw-c")));
    String pid = plan.path("plan_id").asText();
    assertThat(pid).matches("PLAN-p-three-\\d+");
    assertThat(plan.path("status").asText()).isEqualTo("executing");
    assertThat(plan.path("estimated_waves").asInt()).isEqualTo(3);
    assertThat(plan.path("total_budget_minutes").asInt()).isEqualTo(60);
    List<Integer> waves = new ArrayList<>();
    plan.path("subtasks").forEach(s -> waves.add(s.path("wave").asInt()));
    assertThat(waves).containsExactly(0, 1, 1, 2);
    assertThat(plan.path("subtasks").get(0).path("delegation").path("mode").asText())
        .isEqualTo("solo_mesh");

    runToEnd(pid, Set.of());

    JsonNode done = client.ok("mesh.plans.get", Map.of("plan_id", pid));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("success").asBoolean()).isTrue();
    done.path("subtasks")
        .forEach(s -> assertThat(s.path("status").asText()).isEqualTo("completed"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .task("get", Map.of("task_id", "p-three"))
                    .path("status")
                    .asText()
                    .equals("completed"));
    JsonNode parentTask = client.task("get", Map.of("task_id", "p-three"));
    assertThat(parentTask.path("result"))
        .isEqualTo(
            Json.mapper()
                .createObjectNode()
                .put("success", true)
                .put("summary", "Plan " + pid + " completed (4 subtasks)")
                .put("plan_id", pid));

    // The dispatched tasks: id = subtask id, tags, subtask fields, the parent's routing.
    JsonNode b = client.task("get", Map.of("task_id", "tw-b"));
    assertThat(b.path("tags").toString()).isEqualTo("[\"plan\",\"" + pid + "\"]");
    assertThat(b.path("budget_minutes").asInt()).isEqualTo(15);
    assertThat(b.path("metric").asText()).isEqualTo("true");
    assertThat(b.path("llm_provider").asText()).isEqualTo("claude");
    assertThat(b.path("llm_model").asText()).isEqualTo("claude-sonnet-4");
    assertThat(b.path("preferred_nodes").toString()).isEqualTo("[\"node-a\"]");
    assertThat(b.path("exclude_nodes").toString()).isEqualTo("[\"node-z\"]");

    // Waves in order, each dispatched once, each after the previous one finished.
    List<List<String>> events = planEvents(pid);
    List<String> dispatchedWaves = new ArrayList<>();
    Map<Integer, Long> waveSeq = new LinkedHashMap<>();
    for (List<String> e : events) {
      if (e.get(0).equals("plan.wave_dispatched")) {
        int w = Json.mapper().readTree(e.get(1)).path("wave").asInt();
        dispatchedWaves.add(String.valueOf(w));
        waveSeq.put(w, Long.parseLong(e.get(2)));
      }
    }
    assertThat(dispatchedWaves).containsExactly("0", "1", "2");
    assertThat(seqOf("task.completed", "tw-a")).isLessThan(waveSeq.get(1));
    assertThat(seqOf("task.submitted", "tw-b")).isGreaterThan(waveSeq.get(1));
    assertThat(seqOf("task.completed", "tw-b")).isLessThan(waveSeq.get(2));
    assertThat(seqOf("task.completed", "tw-c")).isLessThan(waveSeq.get(2));
    assertThat(seqOf("task.submitted", "tw-d")).isGreaterThan(waveSeq.get(2));
    assertThat(events.stream().map(e -> e.get(0)).filter(t -> t.equals("plan.completed")))
        .hasSize(1);

    // list: the reference's summary shape
    mesh.awaitProjected();
    JsonNode list = client.ok("mesh.plans.list", Map.of("parent_task_id", "p-three"));
    assertThat(list).hasSize(1);
    JsonNode s = list.get(0);
    assertThat(s.path("plan_id").asText()).isEqualTo(pid);
    assertThat(s.path("total_subtasks").asInt()).isEqualTo(4);
    assertThat(s.path("subtask_status").toString()).isEqualTo("{\"completed\":4}");
    assertThat(s.path("delegation_modes").toString()).isEqualTo("{\"solo_mesh\":4}");
    assertThat(s.path("estimated_waves").asInt()).isEqualTo(3);
    assertThat(s.path("total_budget_minutes").asInt()).isEqualTo(60);
    assertThat(s.has("duration_ms")).isTrue();

    // the HTTP API: the plan with its DAG by wave, progress and history
    JsonNode view = httpView(pid);
    assertThat(view.path("waves")).hasSize(3);
    assertThat(view.path("waves").get(1).path("subtasks").get(0).path("subtask_id").asText())
        .isEqualTo("tw-b");
    assertThat(view.path("history").get(0).path("type").asText()).isEqualTo("plan.created");
    assertThat(view.path("history")).hasSize(events.size());
    assertThat(view.path("history").get(0).path("data").path("subtasks").isArray())
        .as("the created plan's payload, as stored")
        .isTrue();
    assertThat(view.path("status").asText()).isEqualTo("completed");
    assertThat(view.path("progress").path("percent").asInt()).isEqualTo(100);
  }

  @Test
  void parentTaggedPlanParent_isNeverClaimed_andItsPlanCompletesIt() throws Exception {
    // given a parent submitted with the plan-parent tag and nothing holding it back otherwise
    client.task(
        "submit",
        Map.of("task_id", "p-held", "title", "Parent p-held", "tags", List.of("plan-parent")));
    mesh.awaitProjected();

    // when workers claim everything they can before and while the plan runs
    assertThat(work(client, Set.of())).doesNotContain("p-held");
    String pid =
        create(
                client,
                "p-held",
                false,
                List.of(solo("ph-a", "First"), solo("ph-b", "Second", "ph-a")))
            .path("plan_id")
            .asText();
    runToEnd(pid, Set.of());

    // then the plan, not a worker, completed the parent; nobody ever claimed it
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .task("get", Map.of("task_id", "p-held"))
                    .path("status")
                    .asText()
                    .equals("completed"));
    JsonNode parent = client.task("get", Map.of("task_id", "p-held"));
    assertThat(parent.path("result").path("plan_id").asText()).isEqualTo(pid);
    mesh.awaitProjected();
    try (Connection c = mesh.db().connect()) {
      assertThat(
              rows(
                  c,
                  "SELECT type FROM event_log WHERE aggregate = 'task' AND aggregate_id = ?"
                      + " ORDER BY seq",
                  "p-held"))
          .extracting(r -> r.get(0))
          .doesNotContain("task.claimed", "task.started");
    }
  }

  @Test
  void untaggedQueuedParent_isTakenOutOfTheClaimQueueByItsPlan_whichCompletesIt() throws Exception {
    // given a parent submitted without the tag plan-parent, queued and claimable
    client.task("submit", Map.of("task_id", "p-untagged", "title", "Parent p-untagged"));

    // when a plan is created for it
    String pid =
        create(client, "p-untagged", false, List.of(solo("pu-a", "Do it")))
            .path("plan_id")
            .asText();

    // then it carries the tag from then on: workers claim the subtask, never the parent
    assertThat(client.task("get", Map.of("task_id", "p-untagged")).path("tags").toString())
        .contains("plan-parent");
    runToEnd(pid, Set.of());
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .task("get", Map.of("task_id", "p-untagged"))
                    .path("status")
                    .asText()
                    .equals("completed"));
    JsonNode parent = client.task("get", Map.of("task_id", "p-untagged"));
    assertThat(parent.path("result").path("plan_id").asText()).isEqualTo(pid);
    assertThat(parent.path("result").path("success").asBoolean()).isTrue();
    mesh.awaitProjected();
    try (Connection c = mesh.db().connect()) {
      List<List<String>> events =
          rows(
              c,
              "SELECT type, payload->>'plan_id' FROM event_log WHERE aggregate = 'task'"
                  + " AND aggregate_id = ? ORDER BY seq",
              "p-untagged");
      assertThat(events)
          .extracting(r -> r.get(0))
          .containsExactly("task.submitted", "task.held_for_plan", "task.completed");
      assertThat(events.get(1).get(1)).isEqualTo(pid);
      assertThat(
              rows(
                  c,
                  "SELECT array_to_string(tags, ',') FROM tasks WHERE task_id = ?",
                  "p-untagged"))
          .containsExactly(List.of("plan-parent"));
    }
  }

  @Test
  void parentThatEnded_isRefused_andNothingIsAppended_whileOneANodeHolds_mayBePlanned()
      throws Exception {
    // given a parent submitted without the tag that a worker claimed first and released, and
    // another that a node holds (a planner that claimed it and splits it)
    JsonNode released = claimFirst("p-released");
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("task_id", "p-released");
    ref.put("node_id", released.path("owner").asText());
    ref.put("claim_token", released.path("claim_token").asLong());
    ref.put("reason", "did it alone");
    client.task("release", ref);
    JsonNode held = claimFirst("p-claimed");
    int releasedEvents = taskEvents("p-released");
    int heldEvents = taskEvents("p-claimed");

    // when plans are created for them
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", "Too late");
    body.put("subtasks", List.of(solo("pr-a", "Do it")));
    body.put("parent_task_id", "p-released");
    JsonNode refusedReleased = client.request("mesh.plans.create", body);
    body.put("parent_task_id", "p-claimed");
    JsonNode planned = client.request("mesh.plans.create", body);

    // then the ended one is refused with CONFLICT, saying why and what to do, and nothing is
    // appended; the held one is planned and stays with its holder
    assertThat(refusedReleased.path("code").asText()).isEqualTo("CONFLICT");
    assertThat(refusedReleased.path("error").asText())
        .isEqualTo(
            "Parent task p-released is released: a plan cannot do the work of a task that has"
                + " ended. Submit the parent with tag plan-parent (no worker claims it), then"
                + " create its plan");
    assertThat(planned.path("ok").asBoolean()).as(planned.toString()).isTrue();
    JsonNode stillHeld = client.task("get", Map.of("task_id", "p-claimed"));
    assertThat(stillHeld.path("status").asText()).isEqualTo("claimed");
    assertThat(stillHeld.path("owner").asText()).isEqualTo(held.path("owner").asText());
    assertThat(taskEvents("p-released")).isEqualTo(releasedEvents);
    assertThat(taskEvents("p-claimed")).isEqualTo(heldEvents); // no held_for_plan: it is held
    assertThat(client.ok("mesh.plans.list", Map.of("parent_task_id", "p-released"))).isEmpty();
    assertThat(client.ok("mesh.plans.list", Map.of("parent_task_id", "p-claimed"))).hasSize(1);
  }

  private static int taskEvents(String taskId) {
    return mesh.orchestrator().store().read(Subjects.taskEvents(taskId)).size();
  }

  /** Submits an untagged task first in claim order and claims it as a fresh node: the claim. */
  private static JsonNode claimFirst(String taskId) {
    client.task("submit", Map.of("task_id", taskId, "title", "Parent " + taskId, "priority", 100));
    mesh.awaitProjected();
    String node = "sim-" + taskId;
    JsonNode t = client.task("claim", Map.of("node_id", node));
    assertThat(t.path("task_id").asText()).isEqualTo(taskId);
    return t;
  }

  @Test
  void failingSubtask_blocksExactlyItsDependents_theRestFinish_andThePlanFails() throws Exception {
    parent(client, "p-fail");
    String pid =
        create(
                client,
                "p-fail",
                false,
                List.of(
                    solo("fl-a", "Write the lexer"),
                    solo("fl-b", "Write the parser", "fl-a"),
                    solo("fl-c", "Write the printer", "fl-b"),
                    solo("fl-d", "Write the docs"),
                    solo("fl-e", "Publish the docs", "fl-d")))
            .path("plan_id")
            .asText();
    runToEnd(pid, Set.of("fl-a"));
    JsonNode plan = client.ok("mesh.plans.get", Map.of("plan_id", pid));
    assertThat(plan.path("status").asText()).isEqualTo("completed");
    assertThat(plan.path("success").asBoolean()).isFalse();
    assertThat(subtask(client, pid, "fl-a").path("status").asText()).isEqualTo("failed");
    assertThat(subtask(client, pid, "fl-b").path("status").asText()).isEqualTo("blocked");
    assertThat(subtask(client, pid, "fl-c").path("status").asText()).isEqualTo("blocked");
    assertThat(subtask(client, pid, "fl-d").path("status").asText()).isEqualTo("completed");
    assertThat(subtask(client, pid, "fl-e").path("status").asText()).isEqualTo("completed");
    assertThat(subtask(client, pid, "fl-b").path("result").path("summary").asText())
        .isEqualTo("Blocked: dependency fl-a failed");
    assertThat(client.error("mesh.tasks.get", Map.of("task_id", "fl-b")))
        .isEqualTo("Task fl-b not found");
    List<List<String>> events = planEvents(pid);
    JsonNode failed = null;
    for (List<String> e : events) {
      if (e.get(0).equals("plan.subtask_failed")) {
        failed = Json.mapper().readTree(e.get(1));
      }
    }
    assertThat(failed.path("task_status").asText()).isEqualTo("failed");
    assertThat(failed.path("reason").asText()).isEqualTo("metric failed: fl-a");
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .task("get", Map.of("task_id", "p-fail"))
                    .path("status")
                    .asText()
                    .equals("completed"));
    JsonNode result = client.task("get", Map.of("task_id", "p-fail")).path("result");
    assertThat(result.path("success").asBoolean()).isFalse();
    assertThat(result.path("plan_id").asText()).isEqualTo(pid);
    assertThat(result.path("summary").asText())
        .isEqualTo("Plan " + pid + " completed: 2 of 5 subtasks succeeded (1 failed, 2 blocked)");

    // the read API says why each subtask failed or was blocked, and nothing for the others
    Map<String, String> why = new LinkedHashMap<>();
    for (JsonNode w : httpView(pid).path("waves")) {
      for (JsonNode s : w.path("subtasks")) {
        why.put(s.path("subtask_id").asText(), s.path("failure_reason").asText("-"));
      }
    }
    assertThat(why)
        .containsEntry("fl-a", "metric failed: fl-a")
        .containsEntry("fl-b", "Blocked: dependency fl-a failed")
        .containsEntry("fl-c", "Blocked: dependency fl-a failed")
        .containsEntry("fl-d", "-")
        .containsEntry("fl-e", "-");
  }

  /** {@code GET /api/plans/{pid}}. */
  private static JsonNode httpView(String pid) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + mesh.orchestrator().httpPort()
                                + "/api/plans/"
                                + pid))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  @Test
  void approval_gatesExecution_andIsGuarded() throws Exception {
    parent(client, "p-gated");
    JsonNode gated = create(client, "p-gated", true, List.of(solo("ga-a", "Write the lexer")));
    String pid = gated.path("plan_id").asText();
    assertThat(gated.path("status").asText()).isEqualTo("review");
    assertThat(gated.path("requires_approval").asBoolean()).isTrue();

    // A later plan that needs no approval gets dispatched: the reactor has passed the gated one.
    parent(client, "p-free");
    String free =
        create(client, "p-free", false, List.of(solo("fr-a", "Write the lexer")))
            .path("plan_id")
            .asText();
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, free, "fr-a").path("status").asText().equals("queued"));
    assertThat(client.error("mesh.tasks.get", Map.of("task_id", "ga-a")))
        .isEqualTo("Task ga-a not found");
    assertThat(status(client, pid)).isEqualTo("review");

    JsonNode approved =
        client.ok("mesh.plans.approve", Map.of("plan_id", pid, "approved_by", "alice"));
    assertThat(approved.path("approved_by").asText()).isEqualTo("alice");
    assertThat(approved.path("status").asText()).isEqualTo("executing");
    assertThat(client.error("mesh.plans.approve", Map.of("plan_id", pid)))
        .isEqualTo("Plan " + pid + " is already approved (by alice)");
    assertThat(client.error("mesh.plans.approve", Map.of("plan_id", free)))
        .isEqualTo("Plan " + free + " is executing: only a plan awaiting approval can be approved");
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, pid, "ga-a").path("status").asText().equals("queued"));
    runToEnd(pid, Set.of());
    runToEnd(free, Set.of());
    List<String> types = planEvents(pid).stream().map(e -> e.get(0)).toList();
    assertThat(types)
        .startsWith(
            "plan.created",
            "plan.submitted_for_review",
            "plan.approved",
            "plan.execution_started",
            "plan.wave_dispatched");
    // default approver
    parent(client, "p-gui");
    String gui = create(client, "p-gui", true, List.of()).path("plan_id").asText();
    assertThat(client.ok("mesh.plans.approve", Map.of("plan_id", gui)).path("approved_by").asText())
        .isEqualTo("gui");
    await().atMost(WAIT).until(() -> status(client, gui).equals("completed")); // empty plan
  }

  @Test
  void abort_midPlan_blocksTheRest_andStopsDispatch() throws Exception {
    parent(client, "p-abort");
    String pid =
        create(
                client,
                "p-abort",
                false,
                List.of(solo("ab-a", "Write the lexer"), solo("ab-b", "Write the parser", "ab-a")))
            .path("plan_id")
            .asText();
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, pid, "ab-a").path("status").asText().equals("queued"));
    JsonNode aborted =
        client.ok("mesh.plans.abort", Map.of("plan_id", pid, "reason", "wrong approach"));
    assertThat(aborted.path("status").asText()).isEqualTo("aborted");
    assertThat(aborted.path("abort_reason").asText()).isEqualTo("wrong approach");
    for (JsonNode s : aborted.path("subtasks")) {
      assertThat(s.path("status").asText()).isEqualTo("blocked");
      assertThat(s.path("result").path("summary").asText())
          .isEqualTo("Plan aborted: wrong approach");
    }
    assertThat(client.error("mesh.plans.abort", Map.of("plan_id", pid)))
        .isEqualTo("Plan " + pid + " is already aborted");
    // The dispatched task keeps running (as in the reference) and finishing it changes nothing.
    await().atMost(WAIT).until(() -> work(client, Set.of()).contains("ab-a"));
    mesh.awaitProjected();
    assertThat(status(client, pid)).isEqualTo("aborted");
    assertThat(client.error("mesh.tasks.get", Map.of("task_id", "ab-b")))
        .isEqualTo("Task ab-b not found");
    assertThat(client.task("get", Map.of("task_id", "p-abort")).path("status").asText())
        .isEqualTo("queued");
  }

  @Test
  void planBudget_isSharedBySubtasks_andStopsDispatch_onceSpent_failingTheParent()
      throws Exception {
    parent(client, "p-money");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parent_task_id", "p-money");
    body.put("title", "Plan with a budget");
    body.put("requires_approval", false);
    body.put("budget_usd", new java.math.BigDecimal("0.05"));
    body.put(
        "subtasks",
        List.of(
            solo("mo-a", "Write the lexer"),
            solo("mo-b", "Write the parser", "mo-a"),
            solo("mo-c", "Write the checker", "mo-b")));
    JsonNode plan = client.ok("mesh.plans.create", body);
    String pid = plan.path("plan_id").asText();
    assertThat(plan.path("budget_usd").decimalValue()).isEqualByComparingTo("0.05");

    // mo-a spends $0.03 of $0.05: mo-b is dispatched with what is left
    await().atMost(WAIT).until(() -> workPaying("0.03", "mo-a"));
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, pid, "mo-b").path("status").asText().equals("queued"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.request("mesh.tasks.get", Map.of("task_id", "mo-b")).path("ok").asBoolean());
    assertThat(client.task("get", Map.of("task_id", "mo-b")).path("budget_usd").decimalValue())
        .isEqualByComparingTo("0.02");
    // mo-b's kept attempt costs $0.02: completed, but the plan has spent its budget
    await().atMost(WAIT).until(() -> workPaying("0.02", "mo-b"));
    await().atMost(WAIT).until(() -> status(client, pid).equals("aborted"));

    JsonNode p = client.ok("mesh.plans.get", Map.of("plan_id", pid));
    assertThat(p.path("abort_reason").asText())
        .isEqualTo("budget_exceeded: Budget exceeded: $0.05 spent of $0.05 budget_usd");
    assertThat(subtask(client, pid, "mo-b").path("status").asText()).isEqualTo("completed");
    assertThat(subtask(client, pid, "mo-c").path("status").asText()).isEqualTo("blocked");
    assertThat(client.error("mesh.tasks.get", Map.of("task_id", "mo-c")))
        .isEqualTo("Task mo-c not found");
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .task("get", Map.of("task_id", "p-money"))
                    .path("status")
                    .asText()
                    .equals("failed"));
    JsonNode parentResult = client.task("get", Map.of("task_id", "p-money")).path("result");
    assertThat(parentResult.path("reason").asText()).isEqualTo("budget_exceeded");
    assertThat(parentResult.path("plan_id").asText()).isEqualTo(pid);
  }

  /**
   * A simulated worker that records one kept attempt costing {@code costUsd} on each task it
   * claims, then completes it, until it has done {@code taskId} or the queue is empty. It stops at
   * {@code taskId}: going on would race the plan, whose next subtask is dispatched as soon as this
   * one completes and would be claimed (and paid for) here before the test sees it queued.
   */
  private static boolean workPaying(String costUsd, String taskId) {
    while (true) {
      String node = "payer-" + System.nanoTime();
      JsonNode t = client.task("claim", Map.of("node_id", node));
      if (t == null || t.isNull()) {
        return false;
      }
      String id = t.path("task_id").asText();
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("task_id", id);
      ref.put("node_id", node);
      ref.put("claim_token", t.path("claim_token").asLong());
      client.task("start", ref);
      Map<String, Object> a = new LinkedHashMap<>(ref);
      a.put("approach", "did " + id);
      a.put("result", "ok");
      a.put("keep", true);
      a.put("cost_usd", new java.math.BigDecimal(costUsd));
      client.task("attempt", a);
      client.task("complete", ref);
      if (id.equals(taskId)) {
        return true;
      }
    }
  }

  @Test
  void collabSubtask_isDispatchedWithItsCollaborationSpec_andItsOutcomeMovesThePlan()
      throws Exception {
    parent(client, "p-collab");
    Map<String, Object> sub = new LinkedHashMap<>();
    sub.put("subtask_id", "co-a");
    sub.put("title", "Harden the login");
    sub.put("scope", List.of("auth/login"));
    String pid = create(client, "p-collab", false, List.of(sub)).path("plan_id").asText();
    JsonNode planned = subtask(client, pid, "co-a");
    assertThat(planned.path("delegation").path("mode").asText()).isEqualTo("collab_mesh");
    assertThat(planned.path("delegation").path("reason").asText())
        .isEqualTo("rule 4: sensitive scope 'auth/login'");
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, pid, "co-a").path("status").asText().equals("queued"));
    JsonNode task = client.task("get", Map.of("task_id", "co-a"));
    assertThat(task.path("collaboration")).isEqualTo(PlanRouter.review());
    assertThat(subtask(client, pid, "co-a").path("mesh_task_id").asText()).isEqualTo("co-a");
    // Its session was created with the submission, as a client's is, not by the reactor once the
    // task had been projected (and had become claimable).
    String sid = task.path("collab_session_id").asText();
    assertThat(mesh.orchestrator().store().read(Subjects.collabEvents(sid)))
        .first()
        .satisfies(e -> assertThat(e.envelope().causationId()).isEqualTo("submit:co-a"));
    // Whatever ends the task moves the plan: here a cancel.
    client.task("cancel", Map.of("task_id", "co-a", "reason", "no reviewers today"));
    await().atMost(WAIT).until(() -> status(client, pid).equals("completed"));
    JsonNode done = subtask(client, pid, "co-a");
    assertThat(done.path("status").asText()).isEqualTo("failed");
    assertThat(done.path("result").path("summary").asText()).isEqualTo("no reviewers today");
  }

  @Test
  void humanSubtask_waitsForAValidatedUpdate_thenUnlocksItsDependents() throws Exception {
    parent(client, "p-human");
    Map<String, Object> decide = new LinkedHashMap<>();
    decide.put("subtask_id", "hu-a");
    decide.put("title", "Choose between SAML and OIDC");
    String pid =
        create(client, "p-human", false, List.of(decide, solo("hu-b", "Write the login", "hu-a")))
            .path("plan_id")
            .asText();
    assertThat(subtask(client, pid, "hu-a").path("delegation").path("mode").asText())
        .isEqualTo("human");
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, pid, "hu-a").path("status").asText().equals("queued"));
    assertThat(subtask(client, pid, "hu-a").path("mesh_task_id").isNull()).isTrue();
    String u = "mesh.plans.subtask.update";
    assertThat(client.error(u, Map.of("plan_id", pid)))
        .isEqualTo("plan_id and subtask_id required");
    assertThat(client.error(u, Map.of("plan_id", pid, "subtask_id", "nope", "status", "completed")))
        .isEqualTo("Plan " + pid + " or subtask nope not found");
    assertThat(
            client.error(
                u, Map.of("plan_id", "PLAN-x", "subtask_id", "hu-a", "status", "completed")))
        .isEqualTo("Plan PLAN-x or subtask hu-a not found");
    assertThat(
            client.error(
                u, Map.of("plan_id", pid, "subtask_id", "hu-a", "status", "completed", "wave", 7)))
        .isEqualTo("Unknown field 'wave'");
    assertThat(client.error(u, Map.of("plan_id", pid, "subtask_id", "hu-a", "status", "done")))
        .isEqualTo("Field 'status' must be 'completed' or 'failed'");
    assertThat(client.error(u, Map.of("plan_id", pid, "subtask_id", "hu-b", "status", "completed")))
        .isEqualTo("Subtask hu-b is pending: only a dispatched subtask can be updated");
    JsonNode after =
        client.ok(
            u,
            Map.of(
                "plan_id", pid,
                "subtask_id", "hu-a",
                "status", "completed",
                "owner", "alice",
                "result", Map.of("success", true, "summary", "OIDC")));
    assertThat(after.path("subtasks").get(0).path("status").asText()).isEqualTo("completed");
    assertThat(after.path("subtasks").get(0).path("owner").asText()).isEqualTo("alice");
    await()
        .atMost(WAIT)
        .until(() -> subtask(client, pid, "hu-b").path("status").asText().equals("queued"));
    assertThat(client.error(u, Map.of("plan_id", pid, "subtask_id", "hu-b", "status", "completed")))
        .isEqualTo("Subtask hu-b runs as mesh task hu-b: complete or fail that task instead");
    runToEnd(pid, Set.of());
    assertThat(client.ok("mesh.plans.get", Map.of("plan_id", pid)).path("success").asBoolean())
        .isTrue();
  }

  @Test
  void create_rejectsCyclesUnknownDependenciesAndBadInput_withClearErrors() {
    parent(client, "p-bad");
    String c = "mesh.plans.create";
    assertThat(client.error(c, Map.of("title", "x")))
        .isEqualTo("parent_task_id and title are required");
    assertThat(client.error(c, Map.of("parent_task_id", "p-bad")))
        .isEqualTo("parent_task_id and title are required");
    assertThat(client.error(c, Map.of("parent_task_id", "ghost", "title", "x")))
        .isEqualTo("Parent task ghost not found");
    assertThat(
            client.error(
                c,
                Map.of(
                    "parent_task_id", "p-bad",
                    "title", "x",
                    "subtasks", List.of(solo("cy-a", "A", "cy-b"), solo("cy-b", "B", "cy-a")))))
        .isEqualTo("Dependency cycle among subtasks: cy-a -> cy-b -> cy-a");
    assertThat(
            client.error(
                c,
                Map.of(
                    "parent_task_id", "p-bad",
                    "title", "x",
                    "subtasks", List.of(solo("un-a", "A", "missing")))))
        .isEqualTo("Subtask un-a depends on unknown subtask missing");
    assertThat(
            client.error(
                c,
                Map.of(
                    "parent_task_id", "p-bad",
                    "title", "x",
                    "subtasks",
                        List.of(Map.of("title", "A", "delegation", Map.of("mode", "robot"))))))
        .isEqualTo(
            "Unknown delegation mode: robot (expected auto, local, soul, human, solo_mesh,"
                + " collab_mesh)");
    assertThat(client.ok("mesh.plans.list", Map.of("parent_task_id", "p-bad"))).isEmpty();
    assertThat(client.error("mesh.plans.get", Map.of())).isEqualTo("plan_id is required");
    assertThat(client.error("mesh.plans.get", Map.of("plan_id", "PLAN-none")))
        .isEqualTo("Plan PLAN-none not found");
    assertThat(client.error("mesh.plans.approve", Map.of("plan_id", "PLAN-none")))
        .isEqualTo("Plan PLAN-none not found");
    assertThat(client.error("mesh.plans.abort", Map.of())).isEqualTo("plan_id is required");
    // default ids and default (missing) delegation is routed
    JsonNode plan =
        create(client, "p-bad", true, List.of(Map.of("title", "Fix it"), Map.of("title", "Tidy")));
    String pid = plan.path("plan_id").asText();
    assertThat(plan.path("subtasks").get(0).path("subtask_id").asText()).isEqualTo(pid + "-S01");
    assertThat(plan.path("subtasks").get(1).path("subtask_id").asText()).isEqualTo(pid + "-S02");
    assertThat(plan.path("subtasks").get(0).path("delegation").path("reason").asText())
        .isEqualTo("rule 7: default");
    assertThat(plan.path("subtasks").get(0).path("budget_minutes").asInt()).isEqualTo(15);
  }
}
