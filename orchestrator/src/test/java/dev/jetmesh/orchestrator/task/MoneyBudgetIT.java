package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task's {@code budget_usd} over NATS against a real orchestrator: the attempt whose cost reaches
 * the budget fails the task with reason {@code budget_exceeded} in the same append (the reference's
 * {@code mesh.events.failed} notification), and the owner's next start is refused with code {@code
 * BUDGET_EXCEEDED}; attempts of unknown cost never spend it.
 */
class MoneyBudgetIT {
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  /** Submits, claims on {@code node} and starts; returns the fencing fields. */
  private static Map<String, Object> running(String id, String node, Object budgetUsd) {
    Map<String, Object> submit = new LinkedHashMap<>();
    submit.put("task_id", id);
    submit.put("title", "Spend " + id);
    if (budgetUsd != null) {
      submit.put("budget_usd", budgetUsd);
    }
    JsonNode t = client.task("submit", submit);
    assertThat(new BigDecimal(t.path("budget_usd").asText("0")))
        .isEqualByComparingTo(budgetUsd == null ? "0" : budgetUsd.toString());
    mesh.awaitProjected();
    JsonNode c = client.task("claim", Map.of("node_id", node));
    assertThat(c.path("task_id").asText()).isEqualTo(id);
    Map<String, Object> fence = new LinkedHashMap<>();
    fence.put("task_id", id);
    fence.put("node_id", node);
    fence.put("claim_token", c.path("claim_token").asLong());
    client.task("start", fence);
    return fence;
  }

  private static JsonNode attempt(Map<String, Object> fence, int n, String costUsd) {
    Map<String, Object> a = new LinkedHashMap<>(fence);
    a.put("attempt", n);
    a.put("approach", "Attempt " + n + ": metric failed");
    a.put("result", "red");
    a.put("keep", false);
    a.put("provider", "claude");
    if (costUsd != null) {
      a.put("cost_usd", new BigDecimal(costUsd));
    }
    return client.task("attempt", a);
  }

  @Test
  void attemptReachingTheBudget_failsTheTask_andTheNextStartIsRefusedWithItsCode()
      throws Exception {
    Map<String, Object> fence = running("money-1", "money-node-1", new BigDecimal("0.025"));
    Subscription failed = client.connection().subscribe("mesh.events.failed");
    Subscription notice = client.connection().subscribe("mesh.agent.money-node-1.budget_exceeded");
    client.connection().flush(Duration.ofSeconds(2));

    assertThat(attempt(fence, 1, "0.0125").path("status").asText()).isEqualTo("running");
    JsonNode after = attempt(fence, 2, "0.0125");

    assertThat(after.path("status").asText()).isEqualTo("failed");
    assertThat(after.path("attempts")).hasSize(2);
    JsonNode result = after.path("result");
    assertThat(result.path("success").asBoolean(true)).isFalse();
    assertThat(result.path("reason").asText()).isEqualTo("budget_exceeded");
    assertThat(result.path("summary").asText())
        .isEqualTo("Budget exceeded: $0.0250 spent of $0.025 budget_usd");
    assertThat(result.path("spent_usd").decimalValue()).isEqualByComparingTo("0.025");

    Message m = failed.nextMessage(Duration.ofSeconds(5));
    assertThat(m).as("mesh.events.failed").isNotNull();
    JsonNode n = Json.mapper().readTree(m.getData());
    assertThat(n.path("event").asText()).isEqualTo("failed");
    assertThat(n.path("task_id").asText()).isEqualTo("money-1");
    assertThat(n.path("task").path("result").path("reason").asText()).isEqualTo("budget_exceeded");
    assertThat(n.has("timestamp")).isTrue();

    Message told = notice.nextMessage(Duration.ofSeconds(5));
    assertThat(told).as("mesh.agent.<owner>.budget_exceeded").isNotNull();
    JsonNode t = Json.mapper().readTree(told.getData());
    assertThat(t.path("task_id").asText()).isEqualTo("money-1");
    assertThat(t.path("spent_usd").decimalValue()).isEqualByComparingTo("0.025");
    assertThat(t.path("budget_usd").decimalValue()).isEqualByComparingTo("0.025");

    JsonNode refused = client.request("mesh.tasks.start", fence);
    assertThat(refused.path("ok").asBoolean()).isFalse();
    assertThat(refused.path("code").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(refused.path("error").asText()).isEqualTo("Task money-1 is failed: cannot start");

    mesh.awaitProjected();
    assertThat(eventTypes("money-1"))
        .containsExactly(
            "task.submitted",
            "task.claimed",
            "task.started",
            "task.attempt_recorded",
            "task.attempt_recorded",
            "task.failed");
    assertThat(failedReason("money-1")).isEqualTo("budget_exceeded");
  }

  @Test
  void unknownCosts_neverSpendTheBudget_andTheTaskCompletes() {
    Map<String, Object> fence = running("money-2", "money-node-2", new BigDecimal("0.000001"));
    assertThat(attempt(fence, 1, null).path("status").asText()).isEqualTo("running");
    assertThat(attempt(fence, 2, null).path("status").asText()).isEqualTo("running");
    assertThat(client.task("start", fence).path("status").asText()).isEqualTo("running");
    assertThat(client.task("complete", fence).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void withoutABudget_anyCostIsOnlyRecorded() {
    Map<String, Object> fence = running("money-3", "money-node-3", null);
    assertThat(attempt(fence, 1, "999999").path("status").asText()).isEqualTo("running");
    assertThat(client.task("start", fence).path("status").asText()).isEqualTo("running");
  }

  private static List<String> eventTypes(String taskId) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = mesh.db().connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT type FROM event_log WHERE aggregate_id = ? ORDER BY seq")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static String failedReason(String taskId) throws Exception {
    try (Connection c = mesh.db().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT payload ->> 'reason' FROM event_log WHERE aggregate_id = ?"
                    + " AND type = 'task.failed'")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }
}
