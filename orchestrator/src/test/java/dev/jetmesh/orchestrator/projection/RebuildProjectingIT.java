package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.StoredEvent;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replace while it projects, with the deferred indexes dropped: the projections' own writes find
 * what they read without them, and an interrupted run still puts them back. Runs {@link
 * RebuildWorkload} once; the orchestrator is stopped.
 */
class RebuildProjectingIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The tables whose deferred indexes a writer would miss most: each is read while projecting. */
  private static final List<String> READ_WHILE_PROJECTING =
      List.of("tasks", "plan_subtasks", "collab_sessions", "event_log");

  /** Connections in a pool, all of which {@link #flushStats} reaches. */
  private static final int POOL = 4;

  static TestMesh mesh;
  static Database db;
  static IndexSql sql;
  static io.nats.client.Connection nc;
  static List<TableSpec> tables;
  static Map<String, String> migrated;

  @BeforeAll
  static void workload() throws Exception {
    mesh = RebuildWorkload.run();
    sql = IndexSql.on(mesh, POOL);
    db = sql.db();
    nc = Orchestrator.connectNats(mesh.config().natsUrl(), null);
    tables = sql.tables();
    migrated = sql.indexes();
  }

  @AfterAll
  static void down() throws Exception {
    nc.close();
    sql.close();
  }

  @AfterEach
  void asMigrated() {
    assertThat(sql.pending()).isEmpty();
    assertThat(sql.indexes()).isEqualTo(migrated);
  }

  /**
   * Counted with Postgres's statistics ({@code pg_stat_user_tables.seq_scan}), with two things
   * taken care of:
   *
   * <ul>
   *   <li>The planner scans tables of this workload's few rows whatever indexes there are (3 scans
   *       of {@code tasks} and 1 of {@code collab_sessions} with every index in place, 31 of {@code
   *       tasks} in batches of one event). The projecting runs with {@code enable_seqscan = off},
   *       so it takes any index that can serve a read, as it does once tables are large: a scan
   *       then means that no index can, a deferred one missing for instance.
   *   <li>Each backend reports its counts late (at most once a second, or after 10 s idle). Rather
   *       than wait, the test has every backend that could have scanned report at once: all of them
   *       belong to two pools whose connections it holds together while each asks for its report
   *       ({@code pg_stat_force_next_flush()}, done before the backend answers), so the counts read
   *       afterwards hold all they did.
   * </ul>
   *
   * The scans of the indexes' builds are kept out by holding the records back until then.
   */
  @Test
  void givenTheDeferredIndexesDropped_whenAReplaceProjects_thenNoTableItReadsIsScanned()
      throws Exception {
    ReadModelHash.Snapshot before = ReadModelHash.take(db, tables, -1);
    sql.inTransaction(c -> Rebuild.reset(c, tables)); // the replace's first step
    List<String> records =
        sql.rows("SELECT name, table_name, definition FROM rebuild_deferred_index");
    sql.execute("DELETE FROM rebuild_deferred_index");
    flushStats(db);
    Map<String, String> scansBefore = seqScans();

    String alter = "ALTER DATABASE " + mesh.db().name();
    sql.execute(alter + " SET enable_seqscan = off"); // for the sessions opened now
    var c = mesh.config();
    EventFeed feed = new EventFeed(nc, c.stream(), "jetmesh-rebuild-scans");
    try (Database planned = Database.connect(c.dbUrl(), c.dbUser(), c.dbPassword(), POOL)) {
      new RebuildRun(planned, Orchestrator.projections(c, nc, planned), c.projectorBatch(), l -> {})
          .project(feed, before.main());
      flushStats(planned);
    } finally {
      feed.remove();
      sql.execute(alter + " RESET enable_seqscan");
    }
    Map<String, String> scansAfter = seqScans();

    putBack(records);
    assertThat(DeferredIndexes.restore(db, tables, line -> {})).isEqualTo(records.size());
    assertThat(ReadModelHash.take(db, tables, before.logBound()).tables())
        .as("projected all of it")
        .isEqualTo(before.tables());
    assertThat(scansAfter).isEqualTo(scansBefore);
  }

  @Test
  void givenAReplaceWhoseThreadIsInterruptedWhileItProjects_thenItCreatesTheIndexesAgain()
      throws Exception {
    AtomicBoolean interrupted = new AtomicBoolean();
    Rebuild rebuild =
        new Rebuild(
            db,
            d ->
                interruptingAtFirstBatch(
                    Orchestrator.projections(mesh.config(), nc, d), interrupted),
            durable -> new EventFeed(nc, mesh.config().stream(), durable),
            mesh.config().projectorBatch(),
            line -> {});

    assertThatThrownBy(() -> rebuild.replace(WAIT)).isInstanceOf(InterruptedException.class);

    assertThat(interrupted).isTrue();
    assertThat(sql.pending()).isEmpty();
    assertThat(sql.indexes()).isEqualTo(migrated);
    assertThat(LeaderLockIT.advisoryLocks(mesh)).isEmpty();
    // An orchestrator continues from the checkpoint the interrupted replace left.
    mesh.startOrchestrator();
    mesh.awaitProjected();
    mesh.stopOrchestrator();
  }

  /** {@code ps}, the first batch written by any of which interrupts the thread writing it. */
  private static List<Projection> interruptingAtFirstBatch(
      List<Projection> ps, AtomicBoolean done) {
    List<Projection> out = new ArrayList<>();
    for (Projection p : ps) {
      out.add(
          new Projection() {
            @Override
            public Class<? extends MeshEvent> events() {
              return p.events();
            }

            @Override
            public List<TableSpec> tables() {
              return p.tables();
            }

            @Override
            public Writer begin() {
              Writer w = p.begin();
              return new Writer() {
                @Override
                public void add(StoredEvent e) {
                  w.add(e);
                }

                @Override
                public void flush(Handle h) {
                  w.flush(h);
                  if (done.compareAndSet(false, true)) {
                    Thread.currentThread().interrupt(); // as a shutdown hook or a caller would
                  }
                }

                @Override
                public void committed(long last) {
                  w.committed(last);
                }
              };
            }
          });
    }
    return out;
  }

  /** Every backend of {@code pool}'s reports its statistics now (see the test). */
  private static void flushStats(Database pool) throws Exception {
    List<Connection> all = new ArrayList<>();
    try {
      for (int i = 0; i < POOL; i++) {
        all.add(pool.rawConnection());
      }
      for (Connection c : all) {
        IndexSql.execute(c, "SELECT pg_stat_force_next_flush()");
      }
    } finally {
      for (Connection c : all) {
        c.close();
      }
    }
  }

  /** Sequential scans so far of each of {@link #READ_WHILE_PROJECTING}. */
  private static Map<String, String> seqScans() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String row :
        sql.rows(
            "SELECT relname, seq_scan FROM pg_stat_user_tables WHERE relname IN ('"
                + String.join("', '", READ_WHILE_PROJECTING)
                + "')")) {
      out.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1));
    }
    assertThat(out).hasSize(READ_WHILE_PROJECTING.size());
    return out;
  }

  private static void putBack(List<String> records) throws Exception {
    for (String r : records) {
      String[] f = r.split("\\|", 3);
      sql.execute(
          "INSERT INTO rebuild_deferred_index (name, table_name, definition) VALUES ('"
              + f[0]
              + "', '"
              + f[1]
              + "', '"
              + f[2].replace("'", "''")
              + "')");
    }
  }
}
