package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.fenced;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Refused commands, each with an exact error string and nothing appended: a missing or unknown task
 * id on every subject (as the reference does), and jetmesh's guards the reference lacks: no
 * transition out of the wrong state or a terminal one, none by a node that does not own the task or
 * holds a stale claim token, and (strict claims, the default) none without both node id and claim
 * token. {@link LegacyClientsIT} covers the compatible mode for the reference agent.
 */
class TaskGuardsIT {
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

  @ParameterizedTest
  @ValueSource(
      strings = {"start", "attempt", "heartbeat", "complete", "fail", "release", "cancel", "get"})
  void taskIdRequired_andNotFound_haveReferenceStrings(String op) {
    tasks.refused(op, Map.of(), "task_id is required");
    tasks.refused(op, Map.of("task_id", ""), "task_id is required");
    tasks.refused(op, null, "task_id is required");
    tasks.refused(op, Map.of("task_id", "missing-" + op), "Task missing-" + op + " not found");
  }

  @Test
  void guard_completingACancelledTask_isRefused() {
    tasks.submit("g-can");
    client.task("cancel", Map.of("task_id", "g-can"));
    tasks.refused(
        "complete", Map.of("task_id", "g-can"), "Task g-can is cancelled: cannot complete");
    assertThat(tasks.get("g-can").path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void guard_startingAQueuedTask_isRefused() {
    tasks.submit("g-q");
    tasks.refused("start", Map.of("task_id", "g-q"), "Task g-q is queued: cannot start");
    tasks.refused("complete", Map.of("task_id", "g-q"), "Task g-q is queued: cannot complete");
    tasks.refused(
        "attempt",
        Map.of("task_id", "g-q", "approach", "a"),
        "Task g-q is queued: cannot record an attempt");
    assertThat(tasks.get("g-q").path("status").asText()).isEqualTo("queued");
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
      JsonNode c = tasks.submitAndClaim(id, "g-t-node" + n++);
      client.task(
          e.getValue(), e.getValue().equals("cancel") ? Map.of("task_id", id) : fenced(id, c));
      String status = tasks.get(id).path("status").asText();
      JsonNode before = tasks.get(id);
      tasks.refused(
          "start", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot start");
      tasks.refused(
          "complete", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot complete");
      tasks.refused(
          "fail", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot fail");
      tasks.refused(
          "release", Map.of("task_id", id), "Task " + id + " is " + status + ": cannot release");
      tasks.refused("cancel", Map.of("task_id", id), "Task " + id + " is already " + status);
      tasks.refused(
          "attempt",
          Map.of("task_id", id, "approach", "late"),
          "Task " + id + " is " + status + ": cannot record an attempt");
      tasks.refused(
          "heartbeat",
          Map.of("task_id", id),
          "Task " + id + " is " + status + ": cannot heartbeat");
      assertThat(tasks.get(id)).isEqualTo(before);
    }
  }

  @Test
  void guard_commandFromNonOwner_isRefused() {
    JsonNode c = tasks.submitAndClaim("g-own", "owner-a");
    String msg = "Task g-own is owned by owner-a, not owner-b";
    tasks.refused("start", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    tasks.refused(
        "attempt", Map.of("task_id", "g-own", "node_id", "owner-b", "approach", "x"), msg);
    tasks.refused("heartbeat", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    tasks.refused("complete", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    tasks.refused("fail", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    tasks.refused("release", Map.of("task_id", "g-own", "node_id", "owner-b"), msg);
    tasks.refused(
        "complete",
        Map.of(
            "task_id",
            "g-own",
            "node_id",
            "owner-b",
            "claim_token",
            c.path("claim_token").asLong()),
        msg);
    assertThat(tasks.get("g-own").path("status").asText()).isEqualTo("claimed");
    client.task("start", fenced("g-own", c));
    client.task("complete", fenced("g-own", c));
  }

  @Test
  void guard_staleClaimToken_isRefused() {
    JsonNode c = tasks.submitAndClaim("g-tok", "tok-node");
    long stale = c.path("claim_token").asLong() + 1000;
    String msg = "Task g-tok was re-claimed: claim token " + stale + " is stale";
    tasks.refused(
        "start", Map.of("task_id", "g-tok", "node_id", "tok-node", "claim_token", stale), msg);
    tasks.refused(
        "complete", Map.of("task_id", "g-tok", "node_id", "tok-node", "claim_token", stale), msg);
    tasks.refused("fail", Map.of("task_id", "g-tok", "claim_token", stale), msg);
    tasks.refused(
        "heartbeat", Map.of("task_id", "g-tok", "node_id", "tok-node", "claim_token", stale), msg);
    client.task("start", fenced("g-tok", c));
    client.task("complete", fenced("g-tok", c));
  }

  @Test
  void strict_requestsWithoutNodeIdAndToken_areRefused_andChangeNothing() {
    JsonNode c = tasks.submitAndClaim("strict-1", "strict-node");
    long token = c.path("claim_token").asLong();
    JsonNode before = tasks.get("strict-1");
    for (String op :
        new String[] {"start", "attempt", "heartbeat", "complete", "fail", "release"}) {
      String verb = op.equals("attempt") ? "record an attempt" : op;
      String msg =
          "Task strict-1: node_id and claim_token are required to " + verb + " (strict claims)";
      Map<String, Object> extra = op.equals("attempt") ? Map.of("approach", "x") : Map.of();
      tasks.refused(op, with(extra, "task_id", "strict-1"), msg);
      tasks.refused(op, with(extra, "task_id", "strict-1", "node_id", "strict-node"), msg);
      tasks.refused(op, with(extra, "task_id", "strict-1", "claim_token", token), msg);
    }
    assertThat(tasks.get("strict-1")).isEqualTo(before);
    client.task("start", fenced("strict-1", c));
    client.task("complete", fenced("strict-1", c));
  }

  private static Map<String, Object> with(Map<String, Object> extra, Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>(extra);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
