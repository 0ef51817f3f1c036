package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.fenced;
import static dev.jetmesh.orchestrator.task.TaskMesh.instant;
import static dev.jetmesh.orchestrator.task.TaskMesh.json;
import static dev.jetmesh.orchestrator.task.TaskMesh.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claimed task through start, attempts and heartbeats to its end, over NATS: completed, failed,
 * released or cancelled, with the reference's default summaries and the attempts kept, never
 * duplicated.
 */
class TaskLifecycleIT {
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
  void lifecycle_submitClaimStartAttemptHeartbeatComplete() {
    JsonNode c = tasks.submitAndClaim("life-1", "life-node");

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

    long seq = tasks.lastSeq();
    JsonNode hb = client.task("heartbeat", fenced("life-1", c, "activity_state", "thinking"));
    assertThat(names(hb)).containsExactlyInAnyOrder("task_id", "last_activity");
    assertThat(hb.path("task_id").asText()).isEqualTo("life-1");
    Instant beat = instant(hb.path("last_activity"));
    JsonNode hb2 = client.task("heartbeat", fenced("life-1", c));
    assertThat(instant(hb2.path("last_activity"))).isAfterOrEqualTo(beat);
    assertThat(tasks.lastSeq()).as("heartbeats append no event").isEqualTo(seq);
    assertThat(instant(tasks.get("life-1").path("last_activity")))
        .isEqualTo(instant(hb2.path("last_activity")));

    JsonNode done = client.task("complete", fenced("life-1", c));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("result")).isEqualTo(json("{\"success\":true}"));
    assertThat(done.path("completed_at").isTextual()).isTrue();
    assertThat(done.path("attempts")).hasSize(2);

    JsonNode g = tasks.get("life-1");
    assertThat(g.path("status").asText()).isEqualTo("completed");
    assertThat(g.path("result")).isEqualTo(done.path("result"));
    assertThat(g.path("attempts")).isEqualTo(done.path("attempts"));
  }

  @Test
  void complete_keepsGivenResult() {
    JsonNode c = tasks.submitAndClaim("res-1", "res-node");
    JsonNode result =
        json(
            "{\"success\":true,\"summary\":\"done\",\"artifacts\":[\"a.txt\"],\"cost\":null,\"sha\":\"abc\",\"merged\":true}");
    JsonNode done = client.task("complete", fenced("res-1", c, "result", result));
    assertThat(done.path("result")).isEqualTo(result);
  }

  @Test
  void heartbeat_acceptsAnyActivityFields_andRefusesOthers() {
    JsonNode c = tasks.submitAndClaim("hb-1", "hb-node");
    long seq = tasks.lastSeq();
    client.task(
        "heartbeat",
        fenced("hb-1", c, "activity_state", "tool_use", "activity_detail", Map.of("tool", "Bash")));
    assertThat(client.taskError("heartbeat", fenced("hb-1", c, "colour", "red")))
        .isEqualTo("Unknown field 'colour'");
    assertThat(tasks.lastSeq()).isEqualTo(seq);
    client.task("complete", fenced("hb-1", c));
  }

  @Test
  void fail_defaultSummaryUnknown_andAttemptsAreAddedNotReplaced() {
    JsonNode c = tasks.submitAndClaim("fail-1", "fail-node");
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
    JsonNode c = tasks.submitAndClaim("fail-2", "fail-node2");
    client.task("attempt", fenced("fail-2", c, "approach", "only", "result", "r", "keep", true));
    JsonNode f = tasks.asOwner("fail", "fail-2", "reason", "metric failed");
    assertThat(f.path("result"))
        .isEqualTo(json("{\"success\":false,\"summary\":\"metric failed\"}"));
    assertThat(f.path("attempts")).hasSize(1);
    assertThat(tasks.get("fail-2").path("attempts")).hasSize(1);
  }

  @Test
  void fail_resendingRecordedAttempts_doesNotDuplicateThem() {
    JsonNode c = tasks.submitAndClaim("fail-3", "fail-node3");
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
    JsonNode c = tasks.submitAndClaim("rel-1", "rel-node");
    client.task("start", fenced("rel-1", c));
    client.task("attempt", fenced("rel-1", c, "approach", "a", "result", "r", "keep", false));
    JsonNode r = client.task("release", fenced("rel-1", c));
    assertThat(r.path("status").asText()).isEqualTo("released");
    assertThat(r.path("result"))
        .isEqualTo(
            json(
                "{\"success\":false,\"summary\":\"released for human triage\",\"released\":true}"));
    assertThat(r.path("attempts")).hasSize(1);
    tasks.awaitProjected();
    assertThat(tasks.claim("rel-other").isNull())
        .as("released is terminal, never requeued")
        .isTrue();
  }

  @Test
  void release_withReasonAndAttempts() {
    JsonNode c = tasks.submitAndClaim("rel-2", "rel-node2");
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
    tasks.submit("can-1");
    JsonNode c1 = client.task("cancel", Map.of("task_id", "can-1"));
    assertThat(c1.path("status").asText()).isEqualTo("cancelled");
    assertThat(c1.path("result")).isEqualTo(json("{\"success\":false,\"summary\":\"cancelled\"}"));
    JsonNode held = tasks.submitAndClaim("can-2", "can-node");
    client.task("start", fenced("can-2", held));
    JsonNode c2 = client.task("cancel", Map.of("task_id", "can-2", "reason", "obsolete"));
    assertThat(c2.path("status").asText()).isEqualTo("cancelled");
    assertThat(c2.path("result")).isEqualTo(json("{\"success\":false,\"summary\":\"obsolete\"}"));
    tasks.awaitProjected();
    assertThat(tasks.claim("can-node").isNull()).as("a cancelled task frees its node").isTrue();
  }
}
