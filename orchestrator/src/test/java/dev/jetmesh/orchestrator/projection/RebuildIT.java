package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.cli.RebuildCommand;
import dev.jetmesh.orchestrator.plan.PlanFixtures;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import io.nats.client.Dispatcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code jetmesh rebuild} after a real workload (tasks with dependencies, attempts, failures, a
 * release and a cancellation; a collaboration session over two rounds; a two-wave plan), run
 * in-process through the command's entry point against the stopped orchestrator's database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<String> TABLES =
      List.of(
          "tasks",
          "task_attempts",
          "node_active",
          "collab_sessions",
          "collab_members",
          "collab_rounds",
          "collab_reflections",
          "collab_votes",
          "plans",
          "plan_subtasks",
          "event_log");
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void workload() {
    mesh = TestMesh.start(Map.of("MESH_SWEEP_SECONDS", "0.2"));
    client = mesh.client();
    plan();
    collab();
    tasks();
    mesh.awaitProjected();
    mesh.stopOrchestrator();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  static void plan() {
    PlanFixtures.parent(client, "rb-parent");
    String pid =
        PlanFixtures.create(
                client,
                "rb-parent",
                false,
                List.of(
                    PlanFixtures.solo("rb-s1", "first"),
                    PlanFixtures.solo("rb-s2", "then", "rb-s1")))
            .path("plan_id")
            .asText();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              PlanFixtures.work(client, Set.of());
              return PlanFixtures.status(client, pid).equals("completed");
            });
    await().atMost(WAIT).until(() -> status("rb-parent").equals("completed"));
  }

  static void collab() {
    Map<String, Object> t = new HashMap<>();
    t.put("task_id", "rb-collab");
    t.put("title", "Collab rebuild");
    t.put("scope", List.of("a", "b"));
    t.put("collaboration", Map.of("max_nodes", 2, "min_nodes", 2));
    String sid = client.task("submit", t).path("collab_session_id").asText();
    client.awaitSession(sid, WAIT);
    Dispatcher d = client.connection().createDispatcher();
    client.answerAliveChecks(d, "cn1");
    client.answerAliveChecks(d, "cn2");
    for (String n : List.of("cn1", "cn2")) {
      client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", n));
    }
    awaitRound(sid, 1);
    reflect(sid, "cn1", "continue", 1);
    reflect(sid, "cn2", "converged", 1);
    awaitRound(sid, 2);
    reflect(sid, "cn1", "converged", 2);
    reflect(sid, "cn2", "converged", 2);
    await().atMost(WAIT).until(() -> session(sid).path("status").asText().equals("completed"));
    await().atMost(WAIT).until(() -> status("rb-collab").equals("completed"));
    client.connection().closeDispatcher(d);
  }

  /** Claims go by priority (the preferred task first), so each claim below knows its task. */
  static void tasks() {
    submit("rb-a", Map.of("priority", 9, "tags", List.of("x", "y")));
    submit("rb-b", Map.of("depends_on", List.of("rb-a")));
    submit("rb-c", Map.of("depends_on", List.of("rb-a", "rb-b"), "priority", 3));
    submit("rb-waiting", Map.of("depends_on", List.of("rb-a")));
    submit("rb-rel", Map.of("priority", 8));
    submit("rb-fail", Map.of("priority", 7, "preferred_nodes", List.of("tn2")));
    client.task("cancel", Map.of("task_id", "rb-waiting"));
    JsonNode a = claim("tn1", "rb-a");
    client.task("start", fenced(a));
    client.task("attempt", fenced(a, "approach", "first", "result", "no", "keep", false));
    client.task("attempt", fenced(a, "approach", "second", "result", "yes", "keep", true));
    client.task("complete", fenced(a, "result", Map.of("success", true, "summary", "a done")));
    JsonNode f = claim("tn2", "rb-fail");
    client.task("start", fenced(f));
    client.task("attempt", fenced(f, "approach", "only", "result", "red", "keep", false));
    client.task("fail", fenced(f, "reason", "metric failed"));
    JsonNode rel = claim("tn1", "rb-rel");
    client.task("release", fenced(rel));
    JsonNode b = claim("tn1", "rb-b");
    client.task("start", fenced(b));
    client.task("complete", fenced(b));
    JsonNode c = claim("tn3", "rb-c");
    client.task("start", fenced(c));
    submit("rb-queued", Map.of());
  }

  @Test
  @Order(1)
  void replace_afterARealWorkload_findsEveryTableEqual_andKeepsTheCheckpoints() throws Exception {
    Map<String, List<String>> before = dump();
    List<String> checkpoints = rows("SELECT name, last_seq FROM projection_checkpoint");
    assertThat(count("task_attempts")).isEqualTo(3);
    assertThat(count("collab_reflections")).isEqualTo(4);
    assertThat(count("plan_subtasks")).isEqualTo(2);

    Run r = rebuild();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.out).contains("all 11 tables equal");
    for (String t : TABLES) {
      assertThat(r.line(t)).as(r.out).endsWith("yes");
    }
    assertThat(r.line("tasks")).as("rows before and after").contains(" 11 ");
    assertThat(r.err).contains("rebuild: projected");
    assertThat(dump()).isEqualTo(before);
    assertThat(rows("SELECT name, last_seq FROM projection_checkpoint"))
        .containsExactlyInAnyOrderElementsOf(checkpoints);
  }

  @Test
  @Order(2)
  void verify_rebuildsIntoAScratchSchema_andLeavesTheLiveTablesUntouched() throws Exception {
    // xmin changes whenever a row is written: equal xmins mean the rows were not even rewritten
    String xmins = "SELECT task_id, xmin::text FROM tasks ORDER BY task_id";
    List<String> rowVersions = rows(xmins);
    Map<String, List<String>> before = dump();

    Run r = rebuild("--verify");

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.out).contains("into scratch schema rebuild_").contains("all 11 tables equal");
    assertThat(rows(xmins)).isEqualTo(rowVersions);
    assertThat(dump()).isEqualTo(before);
    assertThat(rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'")).isEmpty();
  }

  @Test
  @Order(3)
  void verify_afterOneLiveRowWasCorrupted_exits1_namingThatTable() throws Exception {
    execute("UPDATE tasks SET title = 'x' WHERE task_id = 'rb-b'");

    Run r = rebuild("--verify");

    assertThat(r.exit).as(r.toString()).isEqualTo(1);
    assertThat(r.line("tasks")).endsWith("NO");
    assertThat(r.out).contains("differ: tasks\n");
    assertThat(r.line("event_log")).endsWith("yes");
    assertThat(rows("SELECT title FROM tasks WHERE task_id = 'rb-b'")).containsExactly("x");
    assertThat(rows("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'")).isEmpty();
  }

  @Test
  @Order(4)
  void replace_repairsTheCorruptedRow_andReportsTheDifference() throws Exception {
    Run r = rebuild();

    assertThat(r.exit).as(r.toString()).isEqualTo(1);
    assertThat(r.out).contains("differ: tasks\n");
    assertThat(rows("SELECT title FROM tasks WHERE task_id = 'rb-b'")).containsExactly("Task rb-b");
    assertThat(rebuild("--verify").exit).isZero();
  }

  @Test
  @Order(5)
  void replace_whileAnOrchestratorProjects_exits1_withOneClearLine_andTheOrchestratorGoesOn()
      throws Exception {
    var o = mesh.startOrchestrator();
    await().atMost(WAIT).until(() -> o.projector().state() == Projector.State.RUNNING);

    Run r = rebuild("--wait", "0.5");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out).isEmpty();
    assertThat(r.err.strip())
        .isEqualTo(
            "jetmesh rebuild: an orchestrator is projecting stream MESH_EVENTS into this database"
                + " (it holds the projector lock): stop it, and any standby orchestrator, then run"
                + " rebuild again");
    submit("rb-after", Map.of());
    mesh.awaitProjected();
    assertThat(rows("SELECT status FROM tasks WHERE task_id = 'rb-after'"))
        .containsExactly("queued");
    mesh.stopOrchestrator();
  }

  // ---- helpers ----

  record Run(int exit, String out, String err) {
    /** The table's row in the printed comparison. */
    String line(String table) {
      return out.lines().filter(l -> l.startsWith(table + " ")).findFirst().orElseThrow();
    }
  }

  static Run rebuild(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        RebuildCommand.execute(
            mesh.config(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * Every read-model table's rows as text, in order, but for what depends on how the events were
   * batched (TaskProjection.TABLES says why): a task's {@code deps_pending} once it left the queue,
   * and empty or unsorted {@code node_active} arrays.
   */
  static Map<String, List<String>> dump() throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String t : TABLES) {
      String sql =
          switch (t) {
            case "tasks" ->
                "SELECT (to_jsonb(x) - 'deps_pending')::text || ' '"
                    + " || CASE WHEN status = 'queued' THEN deps_pending::text ELSE '' END"
                    + " FROM tasks x ORDER BY task_id";
            case "node_active" ->
                "SELECT node_id || ' ' || ARRAY(SELECT unnest(task_ids) ORDER BY 1)::text"
                    + " FROM node_active WHERE cardinality(task_ids) > 0 ORDER BY 1";
            default -> "SELECT x::text FROM " + t + " x ORDER BY 1";
          };
      out.put(t, rows(sql));
    }
    return out;
  }

  static long count(String table) throws Exception {
    return Long.parseLong(rows("SELECT count(*) FROM " + table).get(0));
  }

  static List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = mesh.db().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder(rs.getString(1));
        for (int i = 2; i <= n; i++) {
          row.append('|').append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  static void execute(String sql) throws Exception {
    try (Connection c = mesh.db().connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  static void submit(String id, Map<String, Object> fields) {
    Map<String, Object> body = new HashMap<>(fields);
    body.put("task_id", id);
    body.put("title", "Task " + id);
    client.task("submit", body);
  }

  /** Claims for {@code node}, waiting for a dependency's completion to be projected. */
  static JsonNode claim(String node, String expected) {
    JsonNode[] t = new JsonNode[1];
    await()
        .atMost(WAIT)
        .until(
            () -> {
              t[0] = client.task("claim", Map.of("node_id", node));
              return t[0] != null && !t[0].isNull();
            });
    assertThat(t[0].path("task_id").asText()).isEqualTo(expected);
    return t[0];
  }

  static Map<String, Object> fenced(JsonNode claimed, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", claimed.path("task_id").asText());
    body.put("node_id", claimed.path("owner").asText());
    body.put("claim_token", claimed.path("claim_token").asLong());
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return body;
  }

  static String status(String taskId) {
    return client.task("get", Map.of("task_id", taskId)).path("status").asText();
  }

  static JsonNode session(String sid) {
    return client.ok("mesh.collab.status", Map.of("session_id", sid));
  }

  static void awaitRound(String sid, int round) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                session(sid).path("current_round").asInt() == round
                    && session(sid).path("status").asText().equals("active"));
  }

  static void reflect(String sid, String node, String vote, int round) {
    Map<String, Object> r = new HashMap<>();
    r.put("session_id", sid);
    r.put("node_id", node);
    r.put("round", round);
    r.put("summary", "work of " + node);
    r.put("learnings", "learned by " + node);
    r.put("artifacts", List.of("src/" + node + ".java"));
    r.put("confidence", 0.7);
    r.put("vote", vote);
    client.ok("mesh.collab.reflect", r);
  }
}
