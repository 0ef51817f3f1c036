package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The indexes a rebuild defers ({@link DeferredIndexes}): dropped while it projects, there again
 * with the same definitions when it ends, fails or dies, and never built under a running rebuild.
 * Runs {@link RebuildWorkload} once, then rebuilds with the orchestrator stopped unless a test
 * starts one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebuildIndexesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  static TestMesh mesh;
  static Database db;
  static IndexSql sql;
  static List<TableSpec> tables;
  static List<String> deferred;

  /** Every index of the schema, name → definition, as the migrations made them. */
  static Map<String, String> migrated;

  @BeforeAll
  static void workload() throws Exception {
    mesh = RebuildWorkload.run();
    // restoreThenMigrate keeps the lock's connection while Flyway, which takes two, migrates.
    sql = IndexSql.on(mesh, 4);
    db = sql.db();
    tables = sql.tables();
    deferred = tables.stream().flatMap(t -> t.deferredIndexes().stream()).toList();
    migrated = sql.indexes();
  }

  @AfterAll
  static void down() {
    db.close();
    mesh.close();
  }

  @Test
  @Order(1)
  void replace_dropsEveryDeclaredIndexWhileItProjects_andEndsWithTheIndexesItFound() {
    assertThat(deferred)
        .containsExactlyInAnyOrder(
            "tasks_list_order",
            "tasks_newest_first",
            "tasks_updated_first",
            "tasks_budget_deadline",
            "tasks_collab_session",
            "tasks_collab_waiting",
            "tasks_by_owner",
            "tasks_by_tag",
            "task_attempts_task",
            "event_log_aggregate",
            "collab_sessions_open",
            "collab_sessions_task",
            "collab_sessions_recent_end",
            "collab_members_node",
            "plans_open",
            "plans_parent",
            "plans_list_order",
            "plan_subtasks_task");
    assertThat(migrated).containsKeys(deferred.toArray(String[]::new));

    RebuildIT.Run r = rebuild();

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("all 12 tables equal");
    for (String name : deferred) {
      assertThat(r.err()).containsPattern("rebuild: index " + name + " on \\w+ created again in");
    }
    assertThat(r.err()).contains("events/s, building 18 deferred indexes included)");
    assertThat(sql.indexes()).isEqualTo(migrated);
    assertThat(sql.pending()).isEmpty();
  }

  @Test
  @Order(2)
  void verify_defersTheSameIndexesInItsScratchSchema_andLeavesTheLiveOnesAsTheyWere() {
    RebuildIT.Run r = rebuild("--verify");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("all 12 tables equal");
    for (String name : deferred) {
      assertThat(r.err()).containsPattern("rebuild: index " + name + " on \\w+ created again in");
    }
    assertThat(sql.indexes()).isEqualTo(migrated);
    assertThat(sql.pending()).isEmpty();
  }

  @Test
  @Order(3)
  void aRebuildThatDiedAfterItsReset_leavesTheIndexesRecorded_andTheNextProjectorCreatesThem()
      throws Exception {
    Map<String, ReadModelHash.TableHash> before = ReadModelHash.take(db, tables, -1).tables();
    sql.inTransaction(c -> Rebuild.reset(c, tables)); // the rebuild's first step, and then it died

    assertThat(sql.pending()).containsExactlyInAnyOrderElementsOf(deferred);
    assertThat(sql.indexes()).doesNotContainKeys(deferred.toArray(String[]::new));
    // A serve started while the rebuild still runs (here: holds the lock) waits as a standby and
    // builds nothing under it.
    try (Connection rebuildLock = mesh.db().connect()) {
      sql.lock(rebuildLock);
      Orchestrator o = mesh.startOrchestrator();
      // Standby means its start (restoreThenMigrate included) has returned and its projector has
      // tried the lock and lost; it restores only after winning it, so nothing can come later.
      await().atMost(WAIT).until(() -> o.projector().state() == Projector.State.STANDBY);
      assertThat(sql.pending()).hasSize(deferred.size());
    }

    await().atMost(WAIT).until(() -> sql.pending().isEmpty());
    assertThat(sql.indexes()).isEqualTo(migrated);
    mesh.awaitProjected();
    assertThat(ReadModelHash.take(db, tables, -1).tables()).isEqualTo(before);
    mesh.stopOrchestrator();
  }

  @Test
  @Order(4)
  void aRebuildThatDiedAfterTheDrop_isFinishedByTheNextRebuild_whichCreatesThemFirst()
      throws Exception {
    sql.inTransaction(c -> DeferredIndexes.drop(c, tables));
    assertThat(sql.pending()).hasSize(deferred.size());

    RebuildIT.Run r = rebuild();

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("all 12 tables equal");
    assertThat(r.err())
        .contains(
            "rebuild: an earlier rebuild stopped half way: index tasks_list_order on tasks created"
                + " again")
        .as("and again once it has projected")
        .containsPattern("\nrebuild: index tasks_list_order on tasks created again");
    assertThat(sql.indexes()).isEqualTo(migrated);
    assertThat(sql.pending()).isEmpty();
  }

  @Test
  @Order(5)
  void anOrchestratorAboutToMigrate_createsThemFirst_unlessSomeoneHoldsTheLock_toleratingOneThere()
      throws Exception {
    sql.inTransaction(c -> DeferredIndexes.drop(c, tables));
    try (Connection rebuildLock = mesh.db().connect()) {
      sql.lock(rebuildLock);
      DeferredIndexes.restoreThenMigrate(db, mesh.config().stream(), () -> tables, Duration.ZERO);
      assertThat(sql.pending())
          .as("a rebuild holds the lock: its indexes")
          .hasSize(deferred.size());
    }
    sql.execute(migrated.get("tasks_list_order")); // created by hand meanwhile

    DeferredIndexes.restoreThenMigrate(db, mesh.config().stream(), () -> tables, Duration.ZERO);

    assertThat(sql.pending()).isEmpty();
    assertThat(sql.indexes()).isEqualTo(migrated);
  }

  @Test
  @Order(6)
  void aDeclaredIndexThatTheTableLacks_failsTheRebuildBeforeItChangesAnything() throws Exception {
    String xmins = "SELECT task_id, xmin::text FROM tasks ORDER BY task_id";
    List<String> rowVersions = sql.rows(xmins);
    sql.execute(
        "ALTER INDEX tasks_list_order RENAME TO tasks_list_order_v2"); // as a migration might
    try {
      RebuildIT.Run r = rebuild();

      assertThat(r.exit()).as(r.toString()).isEqualTo(2);
      assertThat(r.err())
          .contains(
              "table tasks has no index tasks_list_order, which its projection declares"
                  + " deferrable (TableSpec.deferringIndexes): if a migration renamed or dropped"
                  + " it, declare the new name or none");
      assertThat(sql.rows(xmins)).isEqualTo(rowVersions);
      assertThat(sql.pending()).isEmpty();
      assertThat(sql.indexes()).containsKey("tasks_list_order_v2").hasSize(migrated.size());
    } finally {
      sql.execute("ALTER INDEX tasks_list_order_v2 RENAME TO tasks_list_order");
    }
    assertThat(sql.indexes()).isEqualTo(migrated);
  }

  @Test
  @Order(7)
  void anIndexThatEnforcesSomething_isRefused() throws Exception {
    List<TableSpec> primaryKey =
        List.of(TableSpec.of("tasks", "task_id").deferringIndexes("tasks_pkey"));
    try (Connection c = db.rawConnection()) {
      assertThatThrownBy(() -> DeferredIndexes.declared(c, primaryKey))
          .isInstanceOf(DeferredIndexes.UndeferrableIndexException.class)
          .hasMessageContaining("index tasks_pkey of table tasks is unique or backs a constraint");
    }
  }

  @Test
  @Order(8)
  void aReplaceThatStopsAtAHoleInTheStream_createsTheIndexesAgainBeforeItExits() throws Exception {
    try (io.nats.client.Connection nc = io.nats.client.Nats.connect(mesh.nats().url())) {
      nc.jetStreamManagement().deleteMessage(mesh.config().stream(), 50);
    }

    RebuildIT.Run r = rebuild();

    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("the stream has no event 50:");
    assertThat(r.err()).contains("rebuild: index tasks_list_order on tasks created again");
    assertThat(sql.indexes()).isEqualTo(migrated);
    assertThat(sql.pending()).isEmpty();
  }

  // ---- helpers ----

  static RebuildIT.Run rebuild(String... args) {
    return RebuildIT.run(mesh.config(), args);
  }
}
