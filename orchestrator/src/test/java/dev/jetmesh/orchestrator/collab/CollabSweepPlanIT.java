package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The collaboration sweep runs every few seconds on every orchestrator: on a tasks table that has
 * never been analysed (no autovacuum, or filled faster than it runs) its query must still take the
 * small index of queued collaboration tasks, not scan every task.
 */
class CollabSweepPlanIT {
  @Test
  void sweepQuery_onATableNeverAnalysed_usesTheIndexOfQueuedCollaborationTasks() {
    try (TestDatabase tdb = TestDatabase.create();
        Database db = Database.connect(tdb.url(), tdb.user(), tdb.password(), 2)) {
      db.migrate();
      // 50,000 ordinary tasks, as a drained mesh holds them, and nothing analysed.
      db.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      """
                      INSERT INTO tasks (task_id, title, status, priority, budget_minutes, tags,
                          depends_on, preferred_nodes, exclude_nodes, created_at, deps_pending,
                          submitted_seq, last_seq, doc)
                      SELECT 't' || g, 'Task ' || g, 'completed', 0, 30, '{}', '{}', '{}', '{}',
                          now(), 0, g, g, '{}'
                      FROM generate_series(1, 50000) g
                      """));

      List<String> plan =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "EXPLAIN " + CollabQueries.TASKS_WITHOUT_SESSION.replace(":n", "100"))
                          .mapTo(String.class)
                          .list());

      assertThat(String.join("\n", plan))
          .contains("tasks_collab_waiting")
          .doesNotContain("Seq Scan on tasks");
    }
  }
}
