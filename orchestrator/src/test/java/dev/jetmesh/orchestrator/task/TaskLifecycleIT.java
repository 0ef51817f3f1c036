package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import io.nats.client.Dispatcher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole task lifecycle over NATS request/reply against a real nats-server and Postgres: the
 * reference's replies, defaults and exact error strings (REFERENCE.md section 1 and 2), jetmesh's
 * guards, the notifications, the read model, and the stall timer with the alive check.
 */
class TaskLifecycleIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  static TestMesh mesh;
  static MeshClient client;

  /** A second mesh whose stall threshold is 0.6 s; kept apart so it cannot release other tasks. */
  static TestMesh stallMesh;

  static MeshClient stallClient;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
    stallMesh = TestMesh.start(Map.of("MESH_STALL_MINUTES", "0.01"));
    stallClient = stallMesh.client();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
    stallClient.close();
    stallMesh.close();
  }

  /** Cancels whatever an earlier test left queued or held, so that claims see only this test's. */
  @BeforeEach
  void emptyQueue() {
    for (String status : List.of("queued", "claimed", "running")) {
      for (JsonNode t : client.task("list", Map.of("status", status))) {
        client.task(
            "cancel", Map.of("task_id", t.path("task_id").asText(), "reason", "test cleanup"));
      }
    }
    mesh.awaitProjected();
  }

  // ---- helpers -------------------------------------------------------------------------------

  static long lastSeq() {
    return mesh.orchestrator().store().lastSequence();
  }

  static JsonNode submit(String id, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("title", "Task " + id);
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return client.task("submit", body);
  }

  static JsonNode claim(String node) {
    return client.task("claim", Map.of("node_id", node));
  }

  static JsonNode get(String id) {
    return client.task("get", Map.of("task_id", id));
  }

  static Map<String, Object> fenced(String id, JsonNode claimed, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("node_id", claimed.path("owner").asText());
    body.put("claim_token", claimed.path("claim_token").asLong());
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return body;
  }

  /** Submits, waits for the projection, claims by {@code node}: the claimed task. */
  static JsonNode submitAndClaim(String id, String node) {
    submit(id);
    mesh.awaitProjected();
    JsonNode c = claim(node);
    assertThat(c.path("task_id").asText()).as("claimed by %s", node).isEqualTo(id);
    return c;
  }

  static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.path("task_id").asText()));
    return out;
  }

  static Instant instant(JsonNode n) {
    return Instant.parse(n.asText());
  }

  /** The request is refused with exactly {@code error} and appends nothing. */
  static void refused(String op, Object body, String error) {
    long before = lastSeq();
    assertThat(client.taskError(op, body)).as("%s %s", op, body).isEqualTo(error);
    assertThat(lastSeq()).as("stream after refused %s", op).isEqualTo(before);
  }

  // ---- submit --------------------------------------------------------------------------------

  @Test
  void submit_appliesReferenceDefaults() {
    Instant before = Instant.now().minusSeconds(1);
    JsonNode t = submit("def-1");
    assertThat(t.path("task_id").asText()).isEqualTo("def-1");
    assertThat(t.path("title").asText()).isEqualTo("Task def-1");
    assertThat(t.path("description").isTextual()).isTrue();
    assertThat(t.path("description").asText()).isEmpty();
    assertThat(t.path("budget_minutes").asInt()).isEqualTo(30);
    assertThat(t.path("on_fail").asText()).isEqualTo("revert and log approach");
    for (String list :
        List.of(
            "scope",
            "success_criteria",
            "depends_on",
            "tags",
            "preferred_nodes",
            "exclude_nodes",
            "attempts")) {
      assertThat(t.path(list).isArray()).as(list).isTrue();
      assertThat(t.path(list)).as(list).isEmpty();
    }
    assertThat(t.path("priority").isInt()).isTrue();
    assertThat(t.path("priority").asInt()).isZero();
    assertThat(t.path("status").asText()).isEqualTo("queued");
    assertThat(instant(t.path("created_at"))).isBetween(before, Instant.now().plusSeconds(1));
    for (String nullField :
        List.of(
            "metric",
            "llm_provider",
            "llm_model",
            "collaboration",
            "collab_session_id",
            "owner",
            "claimed_at",
            "started_at",
            "completed_at",
            "budget_deadline",
            "last_activity",
            "result")) {
      assertThat(t.has(nullField)).as("field %s present", nullField).isTrue();
      assertThat(t.path(nullField).isNull()).as("field %s null", nullField).isTrue();
    }
  }

  @Test
  void submit_budgetZero_becomes30_andOtherValuesAreKept() {
    assertThat(submit("bud-0", "budget_minutes", 0).path("budget_minutes").asInt()).isEqualTo(30);
    assertThat(submit("bud-5", "budget_minutes", 5).path("budget_minutes").asInt()).isEqualTo(5);
    JsonNode full =
        submit(
            "bud-full",
            "description",
            "d",
            "metric",
            "true",
            "on_fail",
            "stop",
            "scope",
            List.of("src/"),
            "success_criteria",
            List.of("green"),
            "tags",
            List.of("x"),
            "priority",
            7,
            "llm_provider",
            "claude",
            "llm_model",
            "opus");
    assertThat(full.path("description").asText()).isEqualTo("d");
    assertThat(full.path("metric").asText()).isEqualTo("true");
    assertThat(full.path("on_fail").asText()).isEqualTo("stop");
    assertThat(full.path("scope").get(0).asText()).isEqualTo("src/");
    assertThat(full.path("success_criteria").get(0).asText()).isEqualTo("green");
    assertThat(full.path("tags").get(0).asText()).isEqualTo("x");
    assertThat(full.path("priority").asInt()).isEqualTo(7);
    assertThat(full.path("llm_provider").asText()).isEqualTo("claude");
    assertThat(full.path("llm_model").asText()).isEqualTo("opus");
  }

  @Test
  void submit_errors_haveReferenceStrings() {
    refused("submit", Map.of(), "task_id and title are required");
    refused("submit", Map.of("task_id", "req-1"), "task_id and title are required");
    refused("submit", Map.of("title", "no id"), "task_id and title are required");
    refused("submit", Map.of("task_id", "req-1", "title", ""), "task_id and title are required");
    refused("submit", Map.of("task_id", "", "title", "t"), "task_id and title are required");
    submit("dup-1");
    refused("submit", Map.of("task_id", "dup-1", "title", "again"), "Task dup-1 already exists");
    assertThat(get("dup-1").path("title").asText()).isEqualTo("Task dup-1");
  }

  // ---- claim ---------------------------------------------------------------------------------

  @Test
  void claim_setsOwnerClaimedAtDeadlineAndToken() {
    submit("cl-1", "budget_minutes", 7);
    mesh.awaitProjected();
    JsonNode c = claim("node-cl");
    assertThat(c.path("task_id").asText()).isEqualTo("cl-1");
    assertThat(c.path("status").asText()).isEqualTo("claimed");
    assertThat(c.path("owner").asText()).isEqualTo("node-cl");
    Instant claimedAt = instant(c.path("claimed_at"));
    assertThat(instant(c.path("budget_deadline"))).isEqualTo(claimedAt.plus(Duration.ofMinutes(7)));
    assertThat(c.path("claim_token").isIntegralNumber()).isTrue();
    assertThat(c.path("claim_token").asLong()).isPositive();
    assertThat(get("cl-1").path("claim_token").asLong()).isEqualTo(c.path("claim_token").asLong());
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
    refused("claim", Map.of(), "node_id is required");
    refused("claim", Map.of("node_id", ""), "node_id is required");
    submitAndClaim("busy-1", "busy-node");
    submit("busy-2");
    mesh.awaitProjected();
    refused(
        "claim",
        Map.of("node_id", "busy-node"),
        "Node busy-node already has an active task: busy-1");
    client.task("start", Map.of("task_id", "busy-1"));
    refused(
        "claim",
        Map.of("node_id", "busy-node"),
        "Node busy-node already has an active task: busy-1");
    client.task("complete", Map.of("task_id", "busy-1"));
    assertThat(claim("busy-node").path("task_id").asText()).isEqualTo("busy-2");
  }

  @Test
  void claim_order_preferredFirst_thenPriorityDesc_thenAge() {
    submit("ord-a", "priority", 1);
    submit("ord-b", "priority", 9);
    submit("ord-c", "priority", 9);
    submit("ord-d", "priority", 0, "preferred_nodes", List.of("pref-node"));
    submit("ord-e", "priority", 0, "preferred_nodes", List.of("pref-node"));
    submit("ord-f", "priority", 3, "preferred_nodes", List.of("pref-node"));
    mesh.awaitProjected();
    // preferred for pref-node: by priority, then age, before any higher-priority task
    assertThat(claim("pref-node").path("task_id").asText()).isEqualTo("ord-f");
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonNode c = claim("ord-n" + i);
      order.add(c.path("task_id").asText());
    }
    assertThat(order).containsExactly("ord-b", "ord-c", "ord-a", "ord-d", "ord-e");
    assertThat(claim("ord-n9").isNull()).isTrue();
  }

  @Test
  void claim_preferredNodeTask_isStillClaimableByOthers_afterHigherPriorities() {
    submit("pr-1", "priority", 5, "preferred_nodes", List.of("someone-else"));
    mesh.awaitProjected();
    assertThat(claim("pr-other").path("task_id").asText()).isEqualTo("pr-1");
  }

  @Test
  void claim_excludedNode_neverGetsTheTask() {
    submit("ex-1", "priority", 100, "exclude_nodes", List.of("ex-node"));
    submit("ex-2", "priority", 0);
    mesh.awaitProjected();
    assertThat(claim("ex-node").path("task_id").asText()).isEqualTo("ex-2");
    client.task("complete", Map.of("task_id", "ex-2"));
    assertThat(claim("ex-node").isNull()).isTrue();
    assertThat(claim("ex-other").path("task_id").asText()).isEqualTo("ex-1");
  }

  @Test
  void claim_excludedAndPreferred_excludeWins() {
    submit("exp-1", "preferred_nodes", List.of("exp-node"), "exclude_nodes", List.of("exp-node"));
    mesh.awaitProjected();
    assertThat(claim("exp-node").isNull()).isTrue();
  }

  @Test
  void claim_dependent_onlyAfterEveryDependencyExistsAndIsCompleted() {
    submit("dep-child", "depends_on", List.of("dep-parent"), "priority", 50);
    mesh.awaitProjected();
    assertThat(claim("dep-n1").isNull()).as("dependency does not exist yet").isTrue();

    submit("dep-parent");
    mesh.awaitProjected();
    JsonNode parent = claim("dep-n1");
    assertThat(parent.path("task_id").asText())
        .as("dependency exists but is not completed")
        .isEqualTo("dep-parent");
    assertThat(claim("dep-n2").isNull()).isTrue();
    client.task("start", fenced("dep-parent", parent));
    mesh.awaitProjected();
    assertThat(claim("dep-n2").isNull()).as("dependency running, not completed").isTrue();
    client.task("complete", fenced("dep-parent", parent));

    JsonNode[] got = new JsonNode[1];
    await()
        .atMost(WAIT)
        .until(
            () -> {
              got[0] = claim("dep-n2");
              return !got[0].isNull();
            });
    assertThat(got[0].path("task_id").asText()).isEqualTo("dep-child");
  }

  @Test
  void claim_dependent_needsAllDependencies_andAFailedOneBlocksForever() {
    submit("dd-a");
    submit("dd-b");
    submit("dd-child", "depends_on", List.of("dd-a", "dd-b"), "priority", 50);
    mesh.awaitProjected();
    JsonNode a = claim("dd-n1");
    JsonNode b = claim("dd-n2");
    assertThat(List.of(a.path("task_id").asText(), b.path("task_id").asText()))
        .containsExactlyInAnyOrder("dd-a", "dd-b");
    client.task("complete", Map.of("task_id", "dd-a"));
    mesh.awaitProjected();
    assertThat(claim("dd-n3").isNull()).as("one of two dependencies completed").isTrue();
    client.task("fail", Map.of("task_id", "dd-b", "reason", "nope"));
    mesh.awaitProjected();
    assertThat(claim("dd-n3").isNull()).as("a failed dependency never completes").isTrue();
  }

  // ---- the lifecycle -------------------------------------------------------------------------

  @Test
  void lifecycle_submitClaimStartAttemptHeartbeatComplete() {
    JsonNode c = submitAndClaim("life-1", "life-node");

    JsonNode started = client.task("start", fenced("life-1", c));
    assertThat(started.path("status").asText()).isEqualTo("running");
    assertThat(started.path("owner").asText()).isEqualTo("life-node");
    assertThat(instant(started.path("started_at"))).isAfterOrEqualTo(instant(c.path("claimed_at")));

    JsonNode a1 =
        client.task(
            "attempt",
            fenced("life-1", c, "approach", "Attempt 1: x", "result", "err", "keep", false));
    assertThat(a1.path("attempts")).hasSize(1);
    JsonNode a2 =
        client.task(
            "attempt",
            fenced("life-1", c, "approach", "Attempt 2: y", "result", "ok", "keep", true));
    assertThat(a2.path("attempts")).hasSize(2);
    JsonNode first = a2.path("attempts").get(0);
    JsonNode second = a2.path("attempts").get(1);
    assertThat(first.path("approach").asText()).isEqualTo("Attempt 1: x");
    assertThat(first.path("result").asText()).isEqualTo("err");
    assertThat(first.path("keep").asBoolean()).isFalse();
    assertThat(first.path("timestamp").isTextual()).isTrue();
    assertThat(second.path("approach").asText()).isEqualTo("Attempt 2: y");
    assertThat(second.path("keep").asBoolean()).isTrue();
    assertThat(instant(second.path("timestamp")))
        .isAfterOrEqualTo(instant(first.path("timestamp")));

    long seq = lastSeq();
    JsonNode hb = client.task("heartbeat", fenced("life-1", c, "activity_state", "thinking"));
    assertThat(names(hb)).containsExactlyInAnyOrder("task_id", "last_activity");
    assertThat(hb.path("task_id").asText()).isEqualTo("life-1");
    Instant beat = instant(hb.path("last_activity"));
    JsonNode hb2 = client.task("heartbeat", Map.of("task_id", "life-1"));
    assertThat(instant(hb2.path("last_activity"))).isAfterOrEqualTo(beat);
    assertThat(lastSeq()).as("heartbeats append no event").isEqualTo(seq);
    assertThat(instant(get("life-1").path("last_activity")))
        .isEqualTo(instant(hb2.path("last_activity")));

    JsonNode done = client.task("complete", fenced("life-1", c));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("result")).isEqualTo(json("{\"success\":true}"));
    assertThat(done.path("completed_at").isTextual()).isTrue();
    assertThat(done.path("attempts")).hasSize(2);

    JsonNode g = get("life-1");
    assertThat(g.path("status").asText()).isEqualTo("completed");
    assertThat(g.path("result")).isEqualTo(done.path("result"));
    assertThat(g.path("attempts")).isEqualTo(done.path("attempts"));
  }

  @Test
  void complete_keepsGivenResult() {
    JsonNode c = submitAndClaim("res-1", "res-node");
    JsonNode result =
        json(
            "{\"success\":true,\"summary\":\"done\",\"artifacts\":[\"a.txt\"],\"cost\":null,\"sha\":\"abc\",\"merged\":true}");
    JsonNode done = client.task("complete", fenced("res-1", c, "result", result));
    assertThat(done.path("result")).isEqualTo(result);
  }

  @Test
  void heartbeat_acceptsAnyActivityFields_andRefusesOthers() {
    JsonNode c = submitAndClaim("hb-1", "hb-node");
    long seq = lastSeq();
    client.task(
        "heartbeat",
        Map.of(
            "task_id",
            "hb-1",
            "activity_state",
            "tool_use",
            "activity_detail",
            Map.of("tool", "Bash")));
    assertThat(client.taskError("heartbeat", Map.of("task_id", "hb-1", "colour", "red")))
        .isEqualTo("Unknown field 'colour'");
    assertThat(lastSeq()).isEqualTo(seq);
    client.task("complete", fenced("hb-1", c));
  }

  @Test
  void fail_defaultSummaryUnknown_andAttemptsAreAddedNotReplaced() {
    JsonNode c = submitAndClaim("fail-1", "fail-node");
    client.task("attempt", fenced("fail-1", c, "approach", "first", "result", "r1", "keep", false));
    Map<String, Object> newAttempt = Map.of("approach", "second", "result", "r2", "keep", false);
    JsonNode f = client.task("fail", fenced("fail-1", c, "attempts", List.of(newAttempt)));
    assertThat(f.path("status").asText()).isEqualTo("failed");
    assertThat(f.path("result")).isEqualTo(json("{\"success\":false,\"summary\":\"unknown\"}"));
    assertThat(f.path("attempts")).hasSize(2);
    assertThat(f.path("attempts").get(0).path("approach").asText()).isEqualTo("first");
    assertThat(f.path("attempts").get(1).path("approach").asText()).isEqualTo("second");
    assertThat(f.path("attempts").get(1).path("timestamp").isTextual()).isTrue();
  }

  @Test
  void fail_withReason_andWithoutAttempts_keepsRecordedAttempts() {
    JsonNode c = submitAndClaim("fail-2", "fail-node2");
    client.task("attempt", fenced("fail-2", c, "approach", "only", "result", "r", "keep", true));
    JsonNode f = client.task("fail", Map.of("task_id", "fail-2", "reason", "metric failed"));
    assertThat(f.path("result"))
        .isEqualTo(json("{\"success\":false,\"summary\":\"metric failed\"}"));
    assertThat(f.path("attempts")).hasSize(1);
    assertThat(get("fail-2").path("attempts")).hasSize(1);
  }

  @Test
  void fail_resendingRecordedAttempts_doesNotDuplicateThem() {
    JsonNode c = submitAndClaim("fail-3", "fail-node3");
    client.task("attempt", fenced("fail-3", c, "approach", "a", "result", "r", "keep", false));
    JsonNode f =
        client.task(
            "fail",
            fenced(
                "fail-3",
                c,
                "attempts",
                List.of(Map.of("approach", "a", "result", "r", "keep", false))));
    assertThat(f.path("attempts")).hasSize(1);
  }

  @Test
  void release_defaultSummary_releasedFlag_andAttemptsKept() {
    JsonNode c = submitAndClaim("rel-1", "rel-node");
    client.task("start", fenced("rel-1", c));
    client.task("attempt", fenced("rel-1", c, "approach", "a", "result", "r", "keep", false));
    JsonNode r = client.task("release", fenced("rel-1", c));
    assertThat(r.path("status").asText()).isEqualTo("released");
    assertThat(r.path("result"))
        .isEqualTo(
            json(
                "{\"success\":false,\"summary\":\"released for human triage\",\"released\":true}"));
    assertThat(r.path("attempts")).hasSize(1);
    mesh.awaitProjected();
    assertThat(claim("rel-other").isNull()).as("released is terminal, never requeued").isTrue();
  }

  @Test
  void release_withReasonAndAttempts() {
    JsonNode c = submitAndClaim("rel-2", "rel-node2");
    JsonNode r =
        client.task(
            "release",
            fenced(
                "rel-2",
                c,
                "reason",
                "Exhausted 3/3 attempts. Last: x",
                "attempts",
                List.of(Map.of("approach", "Attempt 1: a", "result", "r", "keep", false))));
    assertThat(r.path("result").path("summary").asText())
        .isEqualTo("Exhausted 3/3 attempts. Last: x");
    assertThat(r.path("result").path("released").asBoolean()).isTrue();
    assertThat(r.path("attempts")).hasSize(1);
  }

  @Test
  void cancel_defaultSummary_andReason() {
    submit("can-1");
    JsonNode c1 = client.task("cancel", Map.of("task_id", "can-1"));
    assertThat(c1.path("status").asText()).isEqualTo("cancelled");
    assertThat(c1.path("result")).isEqualTo(json("{\"success\":false,\"summary\":\"cancelled\"}"));
    JsonNode held = submitAndClaim("can-2", "can-node");
    client.task("start", fenced("can-2", held));
    JsonNode c2 = client.task("cancel", Map.of("task_id", "can-2", "reason", "obsolete"));
    assertThat(c2.path("status").asText()).isEqualTo("cancelled");
    assertThat(c2.path("result")).isEqualTo(json("{\"success\":false,\"summary\":\"obsolete\"}"));
    mesh.awaitProjected();
    assertThat(claim("can-node").isNull()).as("a cancelled task frees its node").isTrue();
  }

  // ---- E1 on every subject -------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {"start", "attempt", "heartbeat", "complete", "fail", "release", "cancel", "get"})
  void taskIdRequired_andNotFound_haveReferenceStrings(String op) {
    refused(op, Map.of(), "task_id is required");
    refused(op, Map.of("task_id", ""), "task_id is required");
    refused(op, null, "task_id is required");
    refused(op, Map.of("task_id", "missing-" + op), "Task missing-" + op + " not found");
  }

  // ---- get and list --------------------------------------------------------------------------

  @Test
  void list_filtersByStatusOwnerTag_andSortsByPriorityThenAge() {
    submit("ls-1", "priority", 1, "tags", List.of("ls"));
    submit("ls-2", "priority", 5, "tags", List.of("ls", "other"));
    submit("ls-3", "priority", 5, "tags", List.of("ls"));
    submit("ls-4", "priority", -2, "tags", List.of("ls"));
    submit("ls-5", "priority", 100, "tags", List.of("nope"));
    assertThat(ids(client.task("list", Map.of("tag", "ls"))))
        .containsExactly("ls-2", "ls-3", "ls-1", "ls-4");
    assertThat(ids(client.task("list", Map.of("tag", "other")))).containsExactly("ls-2");
    mesh.awaitProjected();
    JsonNode c = claim("ls-node");
    assertThat(c.path("task_id").asText()).isEqualTo("ls-5");
    assertThat(ids(client.task("list", Map.of("owner", "ls-node")))).containsExactly("ls-5");
    assertThat(ids(client.task("list", Map.of("status", "claimed", "owner", "ls-node"))))
        .containsExactly("ls-5");
    assertThat(ids(client.task("list", Map.of("status", "queued", "tag", "ls"))))
        .containsExactly("ls-2", "ls-3", "ls-1", "ls-4");
    assertThat(ids(client.task("list", Map.of("status", "completed", "tag", "ls")))).isEmpty();
    List<String> all = ids(client.task("list", Map.of()));
    assertThat(all).contains("ls-1", "ls-2", "ls-3", "ls-4", "ls-5");
    JsonNode everything = client.task("list", Map.of());
    for (int i = 1; i < everything.size(); i++) {
      JsonNode prev = everything.get(i - 1);
      JsonNode cur = everything.get(i);
      assertThat(prev.path("priority").asInt())
          .isGreaterThanOrEqualTo(cur.path("priority").asInt());
      if (prev.path("priority").asInt() == cur.path("priority").asInt()) {
        assertThat(instant(prev.path("created_at")))
            .isBeforeOrEqualTo(instant(cur.path("created_at")));
      }
    }
  }

  @Test
  void list_emptyBody_listsEverything() {
    submit("lse-1");
    assertThat(ids(client.ok("mesh.tasks.list", null))).contains("lse-1");
  }

  @Test
  void get_returnsTheTask() {
    submit("get-1", "priority", 3);
    JsonNode g = get("get-1");
    assertThat(g.path("task_id").asText()).isEqualTo("get-1");
    assertThat(g.path("priority").asInt()).isEqualTo(3);
    assertThat(g.path("status").asText()).isEqualTo("queued");
  }

  // ---- guards (jetmesh's fixes) --------------------------------------------------------------

  @Test
  void guard_completingACancelledTask_isRefused() {
    submit("g-can");
    client.task("cancel", Map.of("task_id", "g-can"));
    refused("complete", Map.of("task_id", "g-can"), "Task g-can is cancelled: cannot complete");
    assertThat(get("g-can").path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void guard_startingAQueuedTask_isRefused() {
    submit("g-q");
    refused("start", Map.of("task_id", "g-q"), "Task g-q is queued: cannot start");
    refused("complete", Map.of("task_id", "g-q"), "Task g-q is queued: cannot complete");
    refused(
        "attempt",
        Map.of("task_id", "g-q", "approach", "a"),
        "Task g-q is queued: cannot record an attempt");
    assertThat(get("g-q").path("status").asText()).isEqualTo("queued");
  }

  @Test
  void guard_terminalStates_areNeverOverwritten() {
    Map<String, String> terminal = new LinkedHashMap<>();
    terminal.put("g-t-completed", "complete");
    terminal.put("g-t-failed", "fail");
    terminal.put("g-t-released", "release");
    terminal.put("g-t-cancelled", "cancel");
    int n = 0;
    for (Map.Entry<String, String> e : terminal.entrySet()) {
      String id = e.getKey();
      submitAndClaim(id, "g-t-node" + n++);
      client.task(e.getValue(), Map.of("task_id", id));
      String status = get(id).path("status").asText();
      JsonNode before = get(id);
      refused("start", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot start");
      refused(
          "complete", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot complete");
      refused("fail", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot fail");
      refused(
          "release", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot release");
      refused("cancel", Map.of("task_id", id), "Task " + id + " is already " + status);
      refused(
          "attempt",
          Map.of("task_id", id, "approach", "late"),
          "Task " + id + " is " + status + ": cannot record an attempt");
      refused(
          "heartbeat",
          Map.of("task_id", id),
          "Task " + id + " is " + status + ": cannot heartbeat");
      assertThat(get(id)).isEqualTo(before);
    }
  }

  @Test
  void guard_commandFromNonOwner_isRefused() {
    JsonNode c = submitAndClaim("g-own", "owner-a");
    String msg = "Task g-own is owned by owner-a, not owner-b";
    refused("start", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    refused("attempt", Map.of("task_id", "g-own", "node_id", "owner-b", "approach", "x"), msg);
    refused("heartbeat", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    refused("complete", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    refused("fail", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    refused("release", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    refused(
        "complete",
        Map.of(
            "task_id",
            "g-own",
            "node_id",
            "owner-b",
            "claim_token",
            c.path("claim_token").asLong()),
        msg);
    assertThat(get("g-own").path("status").asText()).isEqualTo("claimed");
    client.task("start", fenced("g-own", c));
    client.task("complete", fenced("g-own", c));
  }

  @Test
  void guard_staleClaimToken_isRefused() {
    JsonNode c = submitAndClaim("g-tok", "tok-node");
    long stale = c.path("claim_token").asLong() + 1000;
    String msg = "Task g-tok was re-claimed: claim token " + stale + " is stale";
    refused("start", Map.of("task_id", "g-tok", "node_id", "tok-node", "claim_token", stale), msg);
    refused(
        "complete", Map.of("task_id", "g-tok", "node_id", "tok-node", "claim_token", stale), msg);
    refused("fail", Map.of("task_id", "g-tok", "claim_token", stale), msg);
    refused(
        "heartbeat", Map.of("task_id", "g-tok", "node_id", "tok-node", "claim_token", stale), msg);
    client.task("start", fenced("g-tok", c));
    client.task("complete", fenced("g-tok", c));
  }

  @Test
  void legacy_requestsWithoutNodeIdOrToken_areAccepted() {
    submitAndClaim("leg-1", "leg-node");
    assertThat(client.task("start", Map.of("task_id", "leg-1")).path("status").asText())
        .isEqualTo("running");
    client.task(
        "attempt",
        Map.of(
            "task_id",
            "leg-1",
            "approach",
            "Attempt 1: executed without metric",
            "result",
            "ok",
            "keep",
            true));
    client.task("heartbeat", Map.of("task_id", "leg-1", "activity_state", "working"));
    JsonNode done =
        client.task(
            "complete",
            Map.of("task_id", "leg-1", "result", Map.of("success", true, "summary", "s")));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("owner").asText()).isEqualTo("leg-node");
    assertThat(done.path("attempts")).hasSize(1);
  }

  // ---- notifications -------------------------------------------------------------------------

  @Test
  void notifications_areReferenceShaped_forEveryTaskEvent() throws Exception {
    Queue<JsonNode[]> seen = new ConcurrentLinkedQueue<>();
    Dispatcher d =
        client
            .connection()
            .createDispatcher(
                m -> {
                  try {
                    JsonNode body = Json.mapper().readTree(m.getData());
                    if (body.path("task_id").asText().startsWith("note-")) {
                      seen.add(
                          new JsonNode[] {
                            Json.mapper().getNodeFactory().textNode(m.getSubject()), body
                          });
                    }
                  } catch (java.io.IOException e) {
                    seen.add(
                        new JsonNode[] {
                          Json.mapper().getNodeFactory().textNode(m.getSubject()), null
                        });
                  }
                });
    d.subscribe("mesh.events.>");
    client.connection().flush(Duration.ofSeconds(5));
    try {
      JsonNode c = submitAndClaim("note-1", "note-node1");
      client.task("start", fenced("note-1", c));
      client.task("heartbeat", fenced("note-1", c, "activity_state", "x"));
      client.task("attempt", fenced("note-1", c, "approach", "a"));
      client.task("complete", fenced("note-1", c));
      submitAndClaim("note-2", "note-node2");
      client.task("fail", Map.of("task_id", "note-2", "reason", "r"));
      submitAndClaim("note-3", "note-node3");
      client.task("release", Map.of("task_id", "note-3"));
      submit("note-4");
      client.task("cancel", Map.of("task_id", "note-4"));

      Map<String, List<String>> expected = new LinkedHashMap<>();
      expected.put("note-1", List.of("submitted", "claimed", "started", "heartbeat", "completed"));
      expected.put("note-2", List.of("submitted", "claimed", "failed"));
      expected.put("note-3", List.of("submitted", "claimed", "released"));
      expected.put("note-4", List.of("submitted", "cancelled"));
      await().atMost(WAIT).until(() -> seen.size() >= 13);
      Map<String, List<String>> got = new HashMap<>();
      for (JsonNode[] s : seen) {
        String subject = s[0].asText();
        JsonNode n = s[1];
        assertThat(n).as("notification on %s is JSON", subject).isNotNull();
        assertThat(names(n))
            .as(subject)
            .containsExactlyInAnyOrder("event", "task_id", "task", "timestamp");
        String event = n.path("event").asText();
        assertThat(subject).isEqualTo("mesh.events." + event);
        assertThat(event).doesNotContain(".");
        assertThat(n.path("task").path("task_id").asText()).isEqualTo(n.path("task_id").asText());
        assertThat(instant(n.path("timestamp"))).isNotNull();
        assertThat(n.path("task").path("status").asText())
            .as("task status in %s", event)
            .isEqualTo(statusAfter(event));
        if (event.equals("heartbeat")) {
          assertThat(n.path("task").path("last_activity").isTextual()).isTrue();
        }
        got.computeIfAbsent(n.path("task_id").asText(), k -> new ArrayList<>()).add(event);
      }
      assertThat(got).isEqualTo(expected);
    } finally {
      client.connection().closeDispatcher(d);
    }
  }

  private static String statusAfter(String event) {
    return switch (event) {
      case "submitted" -> "queued";
      case "claimed" -> "claimed";
      case "started", "heartbeat" -> "running";
      default -> event;
    };
  }

  // ---- read model ----------------------------------------------------------------------------

  @Test
  void readModel_matchesGetReplies_andEventLogHasOneRowPerStreamEvent() throws Exception {
    JsonNode c = submitAndClaim("rm-1", "rm-node");
    client.task("start", fenced("rm-1", c));
    client.task("attempt", fenced("rm-1", c, "approach", "a1", "result", "r1", "keep", false));
    client.task("attempt", fenced("rm-1", c, "approach", "a2", "result", "r2", "keep", true));
    client.task("complete", fenced("rm-1", c, "result", Map.of("success", true, "summary", "ok")));
    JsonNode c2 = submitAndClaim("rm-2", "rm-node");
    client.task(
        "fail",
        fenced(
            "rm-2",
            c2,
            "reason",
            "bad",
            "attempts",
            List.of(Map.of("approach", "x", "result", "y", "keep", false))));
    submit("rm-3");
    mesh.awaitProjected();

    try (Connection db = mesh.db().connect()) {
      List<String> taskIds = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT task_id, status, owner, result::text FROM tasks ORDER BY task_id")) {
        while (rs.next()) {
          String id = rs.getString(1);
          taskIds.add(id);
          JsonNode g = get(id);
          assertThat(rs.getString(2)).as("status of %s", id).isEqualTo(g.path("status").asText());
          assertThat(rs.getString(3))
              .as("owner of %s", id)
              .isEqualTo(g.path("owner").isNull() ? null : g.path("owner").asText());
          JsonNode result =
              rs.getString(4) == null ? Json.mapper().nullNode() : json(rs.getString(4));
          assertThat(result).as("result of %s", id).isEqualTo(g.path("result"));
        }
      }
      assertThat(taskIds).contains("rm-1", "rm-2", "rm-3");
      for (String id : taskIds) {
        JsonNode attempts = get(id).path("attempts");
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps =
            db.prepareStatement(
                "SELECT approach, result, keep, recorded_at FROM task_attempts WHERE task_id = ? ORDER BY seq")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.add(
                  rs.getString(1)
                      + "|"
                      + rs.getString(2)
                      + "|"
                      + rs.getBoolean(3)
                      + "|"
                      + rs.getTimestamp(4).toInstant());
            }
          }
        }
        List<String> fromGet = new ArrayList<>();
        for (JsonNode a : attempts) {
          fromGet.add(
              a.path("approach").asText(null)
                  + "|"
                  + a.path("result").asText(null)
                  + "|"
                  + a.path("keep").asBoolean()
                  + "|"
                  + instant(a.path("timestamp")));
        }
        assertThat(rows).as("attempts of %s", id).isEqualTo(fromGet);
      }
      assertThat(get("rm-1").path("attempts")).hasSize(2);
      assertThat(get("rm-2").path("attempts")).hasSize(1);

      long last = lastSeq();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM event_log")) {
        rs.next();
        assertThat(rs.getLong(1)).as("event_log rows").isEqualTo(last);
        assertThat(rs.getLong(2)).isEqualTo(last);
        assertThat(rs.getLong(3)).isEqualTo(1);
        assertThat(rs.getLong(4)).isEqualTo(last);
      }
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT type FROM event_log WHERE aggregate_id = 'rm-1' ORDER BY seq")) {
        List<String> types = new ArrayList<>();
        while (rs.next()) {
          types.add(rs.getString(1));
        }
        assertThat(types)
            .containsExactly(
                "task.submitted",
                "task.claimed",
                "task.started",
                "task.attempt_recorded",
                "task.attempt_recorded",
                "task.completed");
      }
    }
  }

  // ---- stall timer and the alive check --------------------------------------------------------

  @Test
  void stall_noAliveAnswer_releasesTask_andNotifiesOwner() throws Exception {
    Queue<JsonNode> notices = new ConcurrentLinkedQueue<>();
    Dispatcher d =
        stallClient
            .connection()
            .createDispatcher(
                m -> {
                  try {
                    notices.add(Json.mapper().readTree(m.getData()));
                  } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    d.subscribe("mesh.agent.silent-node.stall");
    stallClient.connection().flush(Duration.ofSeconds(5));
    try {
      stallClient.task("submit", Map.of("task_id", "stall-a", "title", "silent"));
      stallMesh.awaitProjected();
      JsonNode c = stallClient.task("claim", Map.of("node_id", "silent-node"));
      assertThat(c.path("task_id").asText()).isEqualTo("stall-a");
      stallClient.task("start", Map.of("task_id", "stall-a", "node_id", "silent-node"));

      await()
          .atMost(WAIT)
          .until(
              () ->
                  stallClient
                      .task("get", Map.of("task_id", "stall-a"))
                      .path("status")
                      .asText()
                      .equals("released"));
      JsonNode t = stallClient.task("get", Map.of("task_id", "stall-a"));
      assertThat(t.path("result").path("success").asBoolean()).isFalse();
      assertThat(t.path("result").path("released").asBoolean()).isTrue();
      assertThat(t.path("result").path("summary").asText())
          .startsWith("Stall detected: no agent heartbeat for")
          .endsWith("alive check failed");

      await().atMost(WAIT).until(() -> !notices.isEmpty());
      JsonNode notice = notices.peek();
      assertThat(names(notice))
          .containsExactlyInAnyOrder("task_id", "silent_minutes", "threshold_minutes");
      assertThat(notice.path("task_id").asText()).isEqualTo("stall-a");
      assertThat(notice.path("silent_minutes").isNumber()).isTrue();
      assertThat(notice.path("threshold_minutes").isNumber()).isTrue();
    } finally {
      stallClient.connection().closeDispatcher(d);
    }
  }

  @Test
  void stall_aliveAnswer_keepsTaskRunning() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    Dispatcher d =
        stallClient
            .connection()
            .createDispatcher(
                m -> {
                  checks.incrementAndGet();
                  stallClient
                      .connection()
                      .publish(
                          m.getReplyTo(),
                          "{\"alive\":true,\"task_id\":\"stall-b\"}"
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                });
    d.subscribe("mesh.agent.busy-worker.alive");
    stallClient.connection().flush(Duration.ofSeconds(5));
    try {
      stallClient.task("submit", Map.of("task_id", "stall-b", "title", "busy"));
      stallMesh.awaitProjected();
      JsonNode c = stallClient.task("claim", Map.of("node_id", "busy-worker"));
      assertThat(c.path("task_id").asText()).isEqualTo("stall-b");
      stallClient.task("start", Map.of("task_id", "stall-b", "node_id", "busy-worker"));

      await().atMost(WAIT).until(() -> checks.get() >= 2);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  stallClient
                      .task("get", Map.of("task_id", "stall-b"))
                      .path("status")
                      .asText()
                      .equals("running"));
      assertThat(
              stallClient
                  .task("get", Map.of("task_id", "stall-b"))
                  .path("last_activity")
                  .isTextual())
          .as("a truthy alive answer counts as activity")
          .isTrue();
      assertThat(
              stallClient
                  .task("complete", Map.of("task_id", "stall-b", "node_id", "busy-worker"))
                  .path("status")
                  .asText())
          .isEqualTo("completed");
    } finally {
      stallClient.connection().closeDispatcher(d);
    }
  }

  // ---- small helpers -------------------------------------------------------------------------

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static JsonNode json(String s) {
    try {
      return Json.mapper().readTree(s);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
