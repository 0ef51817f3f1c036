package dev.jetmesh.orchestrator.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskNotifier;
import dev.jetmesh.orchestrator.task.TaskQueries;
import dev.jetmesh.orchestrator.task.TaskTimers;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.orchestrator.wire.MeshBus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every query of {@code docs/sql-cookbook.md} against a small task lifecycle driven through
 * NATS, and checks the rows each one returns, so that the cookbook cannot rot. A query in the doc
 * without an expectation here, or an expectation without its query, fails the test.
 */
class SqlCookbookIT {
  private static final Path COOKBOOK = Path.of("../docs/sql-cookbook.md");
  private static final Pattern QUERY =
      Pattern.compile("<!--\\s*query:\\s*([a-z0-9-]+)\\s*-->\\s*```sql\\n(.*?)```", Pattern.DOTALL);

  /** The budget timer of an orchestrator whose clock runs this far ahead. */
  private static final Duration LATE = Duration.ofMinutes(10);

  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
  }

  @AfterAll
  static void down() {
    if (client != null) {
      client.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void everyCookbookQuery_runs_andReturnsTheExpectedRows() throws Exception {
    Map<String, String> queries = cookbookQueries();
    Map<String, Consumer<List<Map<String, Object>>>> expectations = expectations();
    assertThat(queries.keySet())
        .as("every query in the cookbook has an expectation here, and every expectation a query")
        .containsExactlyInAnyOrderElementsOf(expectations.keySet());

    driveLifecycle();

    try (Connection c = mesh.db().connect()) {
      for (Map.Entry<String, String> q : queries.entrySet()) {
        List<Map<String, Object>> rows = run(c, q.getKey(), q.getValue());
        try {
          expectations.get(q.getKey()).accept(rows);
        } catch (AssertionError e) {
          throw new AssertionError("cookbook query " + q.getKey() + " returned " + rows, e);
        }
      }
    }
  }

  /**
   * cookbook-1 completed by node-a after two attempts (scores 0.42, 0.91; threshold 0.9);
   * cookbook-2 failed by node-b after two (scores 15, 12.5, lower is better); cookbook-3 waiting on
   * both; cookbook-4 failed by the budget timer; cookbook-5 running on node-a; cookbook-6 failed
   * when its second attempt spent its $0.025 budget_usd.
   */
  private static void driveLifecycle() {
    submit(
        Map.of(
            "task_id",
            "cookbook-1",
            "title",
            "Write the cookbook",
            "priority",
            5,
            "metric_threshold",
            0.9));
    awaitStatus("cookbook-1", "queued");
    long t1 = claim("node-a", "cookbook-1");
    client.task("start", fenced("cookbook-1", "node-a", t1));
    attempt(
        "cookbook-1",
        "node-a",
        t1,
        1,
        "first draft",
        "metric failed",
        false,
        1,
        false,
        1200,
        "0.42");
    attempt(
        "cookbook-1", "node-a", t1, 2, "second draft", "metric passed", true, 0, true, 800, "0.91");
    Map<String, Object> done = fenced("cookbook-1", "node-a", t1);
    done.put("result", Map.of("success", true, "summary", "written"));
    client.task("complete", done);

    submit(
        Map.of(
            "task_id", "cookbook-2",
            "title", "Fix the tests",
            "metric_threshold", 10,
            "metric_direction", "lower"));
    awaitStatus("cookbook-2", "queued");
    long t2 = claim("node-b", "cookbook-2");
    client.task("start", fenced("cookbook-2", "node-b", t2));
    attempt(
        "cookbook-2", "node-b", t2, 1, "patch the test", "still red", false, 2, false, 3000, "15");
    attempt(
        "cookbook-2", "node-b", t2, 2, "patch the code", "less red", false, 2, false, 3000, "12.5");
    Map<String, Object> fail = fenced("cookbook-2", "node-b", t2);
    fail.put("reason", "tests still red");
    client.task("fail", fail);

    submit(
        Map.of(
            "task_id", "cookbook-3",
            "title", "Ship it",
            "depends_on", List.of("cookbook-1", "cookbook-2")));

    submit(Map.of("task_id", "cookbook-4", "title", "Too slow", "budget_minutes", 1));
    awaitStatus("cookbook-4", "queued");
    long t4 = claim("node-c", "cookbook-4");
    client.task("start", fenced("cookbook-4", "node-c", t4));
    awaitStatus("cookbook-4", "running");
    assertThat(budgetTimerRunningLate()).isEqualTo(1);

    submit(Map.of("task_id", "cookbook-5", "title", "Keep going", "budget_minutes", 30));
    awaitStatus("cookbook-5", "queued");
    long t5 = claim("node-a", "cookbook-5");
    client.task("start", fenced("cookbook-5", "node-a", t5));
    Map<String, Object> beat = fenced("cookbook-5", "node-a", t5);
    beat.put("activity_state", "coding");
    client.task("heartbeat", beat);

    submit(Map.of("task_id", "cookbook-6", "title", "Spend carefully", "budget_usd", 0.025));
    awaitStatus("cookbook-6", "queued");
    long t6 = claim("node-c", "cookbook-6");
    client.task("start", fenced("cookbook-6", "node-c", t6));
    costly("cookbook-6", "node-c", t6, 1, null);
    costly("cookbook-6", "node-c", t6, 2, "0.0125");
    costly("cookbook-6", "node-c", t6, 3, "0.0125");
    assertThat(client.task("get", Map.of("task_id", "cookbook-6")).path("status").asText())
        .isEqualTo("failed");

    Orchestrator o = mesh.orchestrator();
    long last = o.store().lastSequence();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> o.watermark().current() >= last && statusOf("cookbook-5").equals("running"));
  }

  /**
   * The real budget timer and decider, with a clock {@link #LATE} ahead, over the orchestrator's
   * store and read model: cookbook-4 (a 1-minute budget) is past its deadline for it.
   */
  private static int budgetTimerRunningLate() {
    Orchestrator o = mesh.orchestrator();
    Clock late = Clock.offset(Clock.systemUTC(), LATE);
    TaskNotifier notifier = new TaskNotifier(new MeshBus(client.connection()));
    TaskCommandHandler handler = new TaskCommandHandler(o.store(), late, notifier);
    try (TaskTimers timers =
        new TaskTimers(
            new TaskQueries(o.database()),
            handler,
            new MeshBus(client.connection()),
            late,
            Duration.ofMinutes(5),
            Duration.ofMillis(300))) {
      return timers.checkBudgets();
    }
  }

  private static Map<String, Consumer<List<Map<String, Object>>>> expectations() {
    Map<String, Consumer<List<Map<String, Object>>>> e = new LinkedHashMap<>();
    e.put(
        "tasks-per-status",
        rows -> {
          Map<Object, Object> counts = new LinkedHashMap<>();
          rows.forEach(r -> counts.put(r.get("status"), ((Number) r.get("tasks")).intValue()));
          assertThat(counts)
              .containsExactly(
                  Map.entry("completed", 1),
                  Map.entry("failed", 3),
                  Map.entry("queued", 1),
                  Map.entry("running", 1));
        });
    e.put(
        "task-timeline",
        rows -> {
          assertThat(rows)
              .extracting(r -> r.get("type"))
              .containsExactly(
                  "task.submitted",
                  "task.claimed",
                  "task.started",
                  "task.attempt_recorded",
                  "task.attempt_recorded",
                  "task.completed");
          assertThat(rows.get(1).get("actor")).isEqualTo("node-a");
          assertThat(rows.get(1).get("payload").toString()).contains("\"node_id\": \"node-a\"");
          assertThat(rows).extracting(r -> ((Number) r.get("seq")).longValue()).isSorted();
        });
    e.put(
        "attempt-history",
        rows -> {
          assertThat(rows).extracting(r -> r.get("attempt")).containsExactly(1, 2);
          assertThat(rows).extracting(r -> r.get("keep")).containsExactly(false, true);
          assertThat(rows).extracting(r -> r.get("exit_code")).containsExactly(1, 0);
          assertThat(rows).extracting(r -> r.get("metric_passed")).containsExactly(false, true);
          assertThat(rows).extracting(r -> r.get("duration_ms")).containsExactly(1200L, 800L);
          assertThat(rows).extracting(r -> r.get("node_id")).containsOnly("node-a");
          assertThat(rows).extracting(r -> r.get("provider")).containsOnly("shell");
          assertThat(rows.get(1).get("approach")).isEqualTo("second draft");
          assertThat(rows)
              .extracting(r -> ((BigDecimal) r.get("metric_score")).stripTrailingZeros())
              .containsExactly(new BigDecimal("0.42"), new BigDecimal("0.91"));
          assertThat(rows).allSatisfy(r -> assertThat(r.get("recorded_at")).isNotNull());
        });
    e.put(
        "attempts-per-node",
        rows -> {
          assertThat(rows)
              .extracting(r -> r.get("node_id"))
              .containsExactly("node-a", "node-b", "node-c");
          assertThat(rows)
              .extracting(r -> number(r, "attempts"), r -> number(r, "kept"))
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple(2L, 1L),
                  org.assertj.core.groups.Tuple.tuple(2L, 0L),
                  org.assertj.core.groups.Tuple.tuple(3L, 0L));
          assertThat(rows)
              .extracting(r -> number(r, "metric_failures"), r -> number(r, "avg_duration_ms"))
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple(1L, 1000L),
                  org.assertj.core.groups.Tuple.tuple(2L, 3000L),
                  org.assertj.core.groups.Tuple.tuple(0L, 10L));
          assertThat(rows).extracting(r -> number(r, "tasks")).containsExactly(1L, 1L, 1L);
        });
    e.put(
        "failure-reasons",
        rows -> {
          assertThat(rows).hasSize(3);
          assertThat(rows).allSatisfy(r -> assertThat(number(r, "tasks")).isEqualTo(1L));
          Map<Object, Object> byType = new LinkedHashMap<>();
          rows.forEach(r -> byType.merge(r.get("type"), r.get("reason"), (a, b) -> a + "|" + b));
          assertThat(byType.get("task.failed").toString().split("\\|"))
              .containsExactlyInAnyOrder("tests still red", "budget_exceeded");
          assertThat((String) byType.get("task.budget_exceeded"))
              .startsWith("Budget exceeded: ")
              .endsWith("m elapsed, 1m budget");
        });
    e.put(
        "throughput-per-minute",
        rows -> {
          assertThat(rows).isNotEmpty();
          assertThat(sum(rows, "submitted")).isEqualTo(6);
          assertThat(sum(rows, "claimed")).isEqualTo(5);
          assertThat(sum(rows, "completed")).isEqualTo(1);
          assertThat(sum(rows, "failed")).isEqualTo(3);
          assertThat(sum(rows, "released")).isZero();
        });
    e.put(
        "claim-to-complete-latency",
        rows -> {
          assertThat(rows)
              .singleElement()
              .satisfies(r -> assertThat(r.get("owner")).isEqualTo("node-a"));
          Map<String, Object> r = rows.get(0);
          assertThat(number(r, "tasks")).isEqualTo(1L);
          assertThat(number(r, "p50_ms")).isBetween(0L, 60_000L);
          assertThat(number(r, "p95_ms")).isEqualTo(number(r, "p50_ms"));
          assertThat(number(r, "max_ms")).isEqualTo(number(r, "p50_ms"));
        });
    e.put(
        "held-tasks-budget",
        rows -> {
          assertThat(rows).hasSize(1);
          Map<String, Object> r = rows.get(0);
          assertThat(r.get("task_id")).isEqualTo("cookbook-5");
          assertThat(r.get("owner")).isEqualTo("node-a");
          assertThat(r.get("status")).isEqualTo("running");
          assertThat((BigDecimal) r.get("minutes_left"))
              .isBetween(new BigDecimal("28.0"), new BigDecimal("30.0"));
          assertThat(r.get("last_activity")).isNotNull();
          assertThat(r.get("activity").toString()).contains("\"activity_state\": \"coding\"");
        });
    e.put(
        "busy-nodes",
        rows -> {
          assertThat(rows).hasSize(1);
          Map<String, Object> r = rows.get(0);
          assertThat(r.get("node_id")).isEqualTo("node-a");
          assertThat(r.get("task_id")).isEqualTo("cookbook-5");
          assertThat(r.get("status")).isEqualTo("running");
          assertThat(r.get("claimed_at")).isNotNull();
        });
    e.put(
        "stuck-dependencies",
        rows -> {
          assertThat(rows).hasSize(1);
          Map<String, Object> r = rows.get(0);
          assertThat(r.get("task_id")).isEqualTo("cookbook-3");
          assertThat(r.get("waits_on")).isEqualTo("cookbook-2");
          assertThat(r.get("dep_status")).isEqualTo("failed");
          assertThat(r.get("never_unblocks")).isEqualTo(true);
        });
    e.put(
        "attempts-until-metric-passed",
        rows -> {
          assertThat(rows)
              .extracting(r -> r.get("task_id"), r -> r.get("passed"), r -> number(r, "attempts"))
              .containsExactly(
                  org.assertj.core.groups.Tuple.tuple("cookbook-1", true, 2L),
                  org.assertj.core.groups.Tuple.tuple("cookbook-2", false, 2L));
        });
    e.put(
        "best-score-per-task",
        rows -> {
          assertThat(rows)
              .extracting(r -> r.get("task_id"))
              .containsExactly("cookbook-1", "cookbook-2");
          Map<String, Object> r1 = rows.get(0);
          assertThat(r1.get("direction")).isEqualTo("higher");
          assertThat((BigDecimal) r1.get("best_score")).isEqualByComparingTo("0.91");
          assertThat((BigDecimal) r1.get("threshold")).isEqualByComparingTo("0.9");
          assertThat(r1.get("meets_threshold")).isEqualTo(true);
          assertThat(number(r1, "scored_attempts")).isEqualTo(2L);
          Map<String, Object> r2 = rows.get(1);
          assertThat(r2.get("direction")).isEqualTo("lower");
          assertThat((BigDecimal) r2.get("best_score"))
              .as("lower is better: the minimum")
              .isEqualByComparingTo("12.5");
          assertThat(r2.get("meets_threshold")).isEqualTo(false);
        });
    e.put(
        "spend-per-task",
        rows -> {
          assertThat(rows)
              .singleElement()
              .satisfies(r -> assertThat(r.get("task_id")).isEqualTo("cookbook-6"));
          Map<String, Object> r = rows.get(0);
          assertThat((BigDecimal) r.get("budget_usd")).isEqualByComparingTo("0.025");
          assertThat((BigDecimal) r.get("spent_usd")).isEqualByComparingTo("0.025");
          assertThat(number(r, "unknown_cost_attempts")).isEqualTo(1L);
          assertThat(r.get("status")).isEqualTo("failed");
          assertThat(r.get("reason")).isEqualTo("budget_exceeded");
        });
    e.put(
        "projection-health",
        rows -> {
          assertThat(rows).extracting(r -> r.get("name")).containsExactly("event_log", "main");
          long streamLast = mesh.orchestrator().store().lastSequence();
          for (Map<String, Object> r : rows) {
            assertThat(number(r, "checkpoint")).isEqualTo(streamLast);
            assertThat(number(r, "last_logged_seq")).isEqualTo(streamLast);
            assertThat(number(r, "parked_poison")).isZero();
          }
        });
    return e;
  }

  private static Map<String, String> cookbookQueries() throws IOException {
    String doc = Files.readString(COOKBOOK);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = QUERY.matcher(doc);
    while (m.find()) {
      assertThat(out.put(m.group(1), m.group(2).strip()))
          .as("query name %s is used twice", m.group(1))
          .isNull();
    }
    int blocks = doc.split("```sql", -1).length - 1;
    assertThat(out)
        .as("every ```sql block in %s is preceded by a <!-- query: name --> marker", COOKBOOK)
        .hasSize(blocks);
    assertThat(out).hasSizeBetween(6, 16);
    return out;
  }

  private static List<Map<String, Object>> run(Connection c, String name, String sql)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new SQLException("cookbook query " + name + " failed: " + e.getMessage(), e);
    }
  }

  private static long number(Map<String, Object> row, String column) {
    Object v = row.get(column);
    assertThat(v).as("column %s", column).isInstanceOf(Number.class);
    return ((Number) v).longValue();
  }

  private static long sum(List<Map<String, Object>> rows, String column) {
    return rows.stream().mapToLong(r -> number(r, column)).sum();
  }

  private static void submit(Map<String, Object> body) {
    JsonNode t = client.task("submit", body);
    assertThat(t.path("status").asText()).isEqualTo("queued");
  }

  private static long claim(String node, String expectedTask) {
    JsonNode t = client.task("claim", Map.of("node_id", node));
    assertThat(t.path("task_id").asText()).as("claim by %s", node).isEqualTo(expectedTask);
    return t.path("claim_token").asLong();
  }

  private static Map<String, Object> fenced(String taskId, String node, long token) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", taskId);
    m.put("node_id", node);
    m.put("claim_token", token);
    return m;
  }

  private static void attempt(
      String taskId,
      String node,
      long token,
      int n,
      String approach,
      String result,
      boolean keep,
      int exitCode,
      boolean metricPassed,
      long durationMs,
      String metricScore) {
    Map<String, Object> a = fenced(taskId, node, token);
    if (metricScore != null) {
      a.put("metric_score", new BigDecimal(metricScore));
    }
    a.put("attempt", n);
    a.put("approach", approach);
    a.put("result", result);
    a.put("keep", keep);
    a.put("provider", "shell");
    a.put("exit_code", exitCode);
    a.put("metric_passed", metricPassed);
    a.put("duration_ms", durationMs);
    client.task("attempt", a);
  }

  /** An attempt of a model run that cost {@code costUsd} (null: unknown), not kept. */
  private static void costly(String taskId, String node, long token, int n, String costUsd) {
    Map<String, Object> a = fenced(taskId, node, token);
    a.put("attempt", n);
    a.put("approach", "try " + n);
    a.put("result", "not yet");
    a.put("keep", false);
    a.put("provider", "claude");
    a.put("exit_code", 0);
    a.put("duration_ms", 10);
    if (costUsd != null) {
      a.put("cost_usd", new BigDecimal(costUsd));
    }
    client.task("attempt", a);
  }

  private static void awaitStatus(String taskId, String status) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> statusOf(taskId).equals(status));
  }

  private static String statusOf(String taskId) throws SQLException {
    try (Connection c = mesh.db().connect();
        PreparedStatement ps = c.prepareStatement("SELECT status FROM tasks WHERE task_id = ?")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        return Optional.ofNullable(rs.next() ? rs.getString(1) : null).orElse("");
      }
    }
  }
}
