package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.cli.Main;
import dev.jetmesh.orchestrator.cli.RebuildCommand;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
          "nodes",
          "event_log");
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void workload() {
    mesh = RebuildWorkload.run();
    client = mesh.client();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  @Test
  @Order(1)
  void replace_afterARealWorkload_findsEveryTableEqual_keepsTheCheckpoints_andAnalysesEachTable()
      throws Exception {
    Map<String, List<String>> before = dump();
    List<String> checkpoints = rows("SELECT name, last_seq FROM projection_checkpoint");
    Map<String, Long> analysed = analyseCounts();
    // 3 solo attempts, and the collab session's 2 rounds recorded as its task's attempts
    assertThat(count("task_attempts")).isEqualTo(5);
    assertThat(count("collab_reflections")).isEqualTo(4);
    assertThat(count("plan_subtasks")).isEqualTo(2);

    Run r = rebuild();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.out).contains("all 12 tables equal");
    for (String t : TABLES) {
      assertThat(r.line(t)).as(r.out).endsWith("yes");
    }
    assertThat(r.line("tasks")).as("rows before and after").contains(" 11 ");
    assertThat(r.err).contains("rebuild: projected");
    assertThat(dump()).isEqualTo(before);
    assertThat(rows("SELECT name, last_seq FROM projection_checkpoint"))
        .containsExactlyInAnyOrderElementsOf(checkpoints);
    // Statistics for the planner, as after any bulk load. analyze_count counts ANALYZE commands
    // only, not autovacuum's, so this holds whether the server's autovacuum runs or not.
    Map<String, Long> after = analyseCounts();
    for (String t : TABLES) {
      assertThat(after.get(t)).as("ANALYZE runs of " + t).isGreaterThan(analysed.get(t));
    }
    assertThat(r.err).contains("rebuild: analysed 12 tables");
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
    assertThat(r.out).contains("into scratch schema rebuild_").contains("all 12 tables equal");
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
  void whileAnOrchestratorProjects_replaceExits1_withOneClearLine_butVerifyRuns() throws Exception {
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
    new RebuildWorkload(client).submit("rb-after", Map.of());
    mesh.awaitProjected();
    assertThat(rows("SELECT status FROM tasks WHERE task_id = 'rb-after'"))
        .containsExactly("queued");
    Run verify = rebuild("--verify");
    assertThat(verify.exit).as("--verify takes no lock: %s", verify).isZero();
    assertThat(o.projector().state()).isEqualTo(Projector.State.RUNNING);
    mesh.stopOrchestrator();
  }

  @Test
  @Order(6)
  void asACommandOfTheJar_itReadsTheEnvironmentOfServe() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "rebuild",
                "--verify"));
    pb.environment().putAll(mesh.env());
    Process p = pb.redirectErrorStream(true).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("exits").isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("all 12 tables equal");
  }

  @Test
  @Order(7)
  void replace_whenAnotherPullTakesSomeOfItsMessages_repositionsAndStillFindsEveryTableEqual()
      throws Exception {
    mesh.startOrchestrator();
    for (int i = 0; i < 300; i++) {
      client.task("submit", Map.of("task_id", "bulk-" + i, "title", "Bulk " + i));
    }
    mesh.awaitProjected();
    mesh.stopOrchestrator();
    Map<String, List<String>> before = dump();
    Map<String, String> env = new HashMap<>(mesh.env());
    env.put("MESH_PROJECTOR_BATCH", "1"); // one fetch per event: a long window for the other pull
    OrchestratorConfig oneByOne = OrchestratorConfig.from(env);

    // What a pull that ended while its messages were on the way does: messages delivered to a
    // pull nobody reads any more. Another client pulling from the rebuild's consumer (and never
    // acknowledging) does the same, on purpose, once.
    AtomicInteger stolen = new AtomicInteger();
    Thread thief = Thread.ofPlatform().start(() -> stealOnce(oneByOne.stream(), stolen));
    Run r = run(oneByOne);
    thief.join(WAIT.toMillis());

    assertThat(stolen.get()).as("messages the other pull took").isPositive();
    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.err).containsPattern("the events after sequence ([1-9][0-9]{2,}) did not arrive");
    assertThat(r.out).contains("all 12 tables equal");
    assertThat(dump()).isEqualTo(before);
  }

  @Test
  @Order(8)
  void verify_onAStreamThatLostAnEvent_stopsNamingIt_afterCheckingThatItIsGone() throws Exception {
    try (io.nats.client.Connection nc = io.nats.client.Nats.connect(mesh.nats().url())) {
      nc.jetStreamManagement().deleteMessage(mesh.config().stream(), 50);
    }

    Run r = rebuild("--verify");

    assertThat(r.exit).as(r.toString()).isEqualTo(2);
    assertThat(r.err).contains("the stream has no event 50:");
    assertThat(r.err).doesNotContain("repositioning");
  }

  /**
   * Once the rebuild's consumer has had its first 100 events acknowledged (so that the gap comes in
   * the middle of the run, with batches applied on both sides of it), pulls a few messages from it
   * and never acknowledges them.
   */
  private static void stealOnce(String stream, AtomicInteger stolen) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (io.nats.client.Connection nc = io.nats.client.Nats.connect(mesh.nats().url())) {
      while (stolen.get() == 0 && System.nanoTime() < deadline) {
        try {
          io.nats.client.api.ConsumerInfo info =
              nc.jetStreamManagement().getConsumerInfo(stream, "jetmesh-rebuild");
          if (info.getAckFloor() == null || info.getAckFloor().getStreamSequence() < 100) {
            Thread.sleep(1);
            continue;
          }
          io.nats.client.ConsumerContext cc = nc.getConsumerContext(stream, "jetmesh-rebuild");
          try (io.nats.client.FetchConsumer fc =
              cc.fetch(
                  io.nats.client.FetchConsumeOptions.builder()
                      .maxMessages(5)
                      .expiresIn(1000)
                      .build())) {
            while (fc.nextMessage() != null) {
              stolen.incrementAndGet();
            }
          }
        } catch (io.nats.client.JetStreamApiException
            | java.io.IOException
            | IllegalStateException e) {
          Thread.sleep(1); // not created yet, or gone
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("the other pull failed", e);
    }
  }

  // ---- helpers ----

  record Run(int exit, String out, String err) {
    /** The table's row in the printed comparison. */
    String line(String table) {
      return out.lines().filter(l -> l.startsWith(table + " ")).findFirst().orElseThrow();
    }
  }

  static Run rebuild(String... args) {
    return run(mesh.config(), args);
  }

  /** {@code jetmesh rebuild args} against {@code config}'s stream and database, in this JVM. */
  static Run run(OrchestratorConfig config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        RebuildCommand.execute(
            config, new PrintWriter(out, true), new PrintWriter(err, true), args);
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

  /** How many times each table was analysed by hand (ANALYZE), by its name. */
  static Map<String, Long> analyseCounts() throws Exception {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String row : rows("SELECT relname, analyze_count FROM pg_stat_user_tables")) {
      String[] f = row.split("\\|");
      out.put(f[0], Long.parseLong(f[1]));
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
}
