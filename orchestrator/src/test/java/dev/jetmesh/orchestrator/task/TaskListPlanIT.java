package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.task.TaskHttpQueries.TaskFilter;
import dev.jetmesh.orchestrator.task.TaskHttpQueries.TaskSummary;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Task lists on a mesh with a long history (50,000 completed tasks, a few in every other status): a
 * list filtered by status reads that status's rows only, an unfiltered one a few rows per status,
 * whatever the history's size, whether or not the table has been analysed; and an unfiltered list
 * gives exactly what one sort of the whole table gives.
 */
class TaskListPlanIT {
  private static final String INDEXES = "tasks_list_order|tasks_newest_first|tasks_updated_first";
  private static final int OTHERS = 40;
  private static final Pattern REMOVED =
      Pattern.compile("Rows Removed by (?:Index )?Filter: (\\d+)");

  /** Rows a list may read and drop: a page's worth, not the history's. */
  private static final long MAX_DROPPED = 1_000;

  private static TestDatabase tdb;
  private static Database db;

  @BeforeAll
  static void up() {
    tdb = TestDatabase.create();
    db = Database.connect(tdb.url(), tdb.user(), tdb.password(), 2);
    db.migrate();
    db.jdbi()
        .useHandle(
            h -> {
              // The history: priorities 0..2, one a millisecond, as a drained mesh holds them.
              h.execute(
                  """
                  INSERT INTO tasks (task_id, title, status, priority, budget_minutes, tags,
                      depends_on, preferred_nodes, exclude_nodes, created_at, deps_pending,
                      submitted_seq, last_seq, doc)
                  SELECT 'h' || g, 'Task ' || g, 'completed', g % 3, 30, '{}', '{}', '{}', '{}',
                      timestamptz '2026-12-01 00:00:00+00' + g * interval '1 millisecond', 0,
                      g, 100000 + g, '{}'
                  FROM generate_series(1, 50000) g
                  """);
              // A few in every other status, spread over the same priorities and times.
              int k = 0;
              for (TaskStatus s : TaskStatus.values()) {
                if (s == TaskStatus.COMPLETED) {
                  continue;
                }
                for (int i = 0; i < OTHERS; i++, k++) {
                  h.createUpdate(
                          """
                          INSERT INTO tasks (task_id, title, status, priority, budget_minutes,
                              tags, depends_on, preferred_nodes, exclude_nodes, created_at,
                              deps_pending, submitted_seq, last_seq, doc)
                          VALUES (:id, 'Task', :status, :priority, 30, '{}', '{}', '{}', '{}',
                              timestamptz '2026-12-01 00:00:00+00' + :ms * interval '1 millisecond',
                              0, :seq, :last, '{}')
                          """)
                      .bind("id", s.wire() + "-" + i)
                      .bind("status", s.wire())
                      .bind("priority", (k * 7) % 5 - 1)
                      .bind("ms", (k * 1_237L) % 50_000)
                      .bind("seq", 60_000L + k)
                      .bind("last", 200_000L - k * 3L)
                      .execute();
                }
              }
            });
  }

  @AfterAll
  static void down() {
    db.close();
    tdb.close();
  }

  @Test
  void everyListShape_readsIndexRanges_andNeverScansTheTasks() {
    for (boolean analysed : List.of(false, true)) {
      if (analysed) {
        db.jdbi().useHandle(h -> h.execute("ANALYZE tasks"));
      }
      for (TaskStatus status : new TaskStatus[] {TaskStatus.QUEUED, TaskStatus.COMPLETED, null}) {
        assertUsesIndexes(
            "mesh.tasks.list, status " + status + (analysed ? ", analysed" : ""),
            TaskQueries.listQuery(status, null, null, 100));
        for (TaskOrder order : TaskOrder.values()) {
          for (Cursor.Position after : new Cursor.Position[] {null, middle(order)}) {
            assertUsesIndexes(
                "GET /api/tasks, status "
                    + status
                    + ", order "
                    + order.wire()
                    + (after == null ? ", first page" : ", after a cursor")
                    + (analysed ? ", analysed" : ""),
                TaskHttpQueries.pageQuery(filter(status), order, after, 50));
          }
        }
      }
    }
  }

  @Test
  void unfilteredPages_equalOneSortOfTheWholeTable() {
    TaskHttpQueries queries = new TaskHttpQueries(db);
    for (TaskOrder order : TaskOrder.values()) {
      List<String> expected =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT t.task_id FROM tasks t" + order.orderBy() + " LIMIT 300")
                          .mapTo(String.class)
                          .list());
      List<String> paged = new ArrayList<>();
      Cursor.Position after = null;
      while (paged.size() < 300) {
        Page<TaskSummary> p = queries.tasks(filter(null), order, after, 60);
        p.items().forEach(s -> paged.add(s.taskId()));
        after =
            Cursor.decode(
                order.cursorKind(), Objects.requireNonNull(p.nextCursor()), order.cursorKeys());
      }
      assertThat(paged).as(order.wire()).containsExactlyElementsOf(expected);
      // the first rows of that order hold several statuses (else the merge would not be tested)
      String distinct =
          "SELECT count(DISTINCT status) FROM (SELECT t.status FROM tasks t"
              + order.orderBy()
              + " LIMIT 300) x";
      int statuses = db.jdbi().withHandle(h -> h.createQuery(distinct).mapTo(Integer.class).one());
      assertThat(statuses).as(order.wire() + ": statuses among the first 300").isGreaterThan(1);
    }
  }

  private static TaskFilter filter(@Nullable TaskStatus status) {
    return new TaskFilter(status, null, null, null, null, null);
  }

  /** A cursor in the middle of the history, in {@code order}. */
  private static Cursor.Position middle(TaskOrder order) {
    String token =
        switch (order) {
          case CLAIM ->
              Cursor.encode(order.cursorKind(), 1, Instant.parse("2026-12-01T00:00:25Z"), 25_000L);
          case NEWEST -> Cursor.encode(order.cursorKind(), 25_000L);
          case UPDATED -> Cursor.encode(order.cursorKind(), 125_000L);
        };
    return Cursor.decode(order.cursorKind(), token, order.cursorKeys());
  }

  /**
   * Runs {@code q} under EXPLAIN ANALYZE: it must read index ranges, never scan the table, and not
   * walk past more than a few rows that its conditions then drop (an index led by another column
   * would walk past the whole history).
   */
  private static void assertUsesIndexes(String what, TaskQueries.Query q) {
    List<String> lines =
        db.jdbi()
            .withHandle(
                h ->
                    q.where()
                        .bindTo(h.createQuery("EXPLAIN (ANALYZE, TIMING OFF) " + q.sql()))
                        .mapTo(String.class)
                        .list());
    String plan = String.join("\n", lines);
    long dropped = 0;
    Matcher m = REMOVED.matcher(plan);
    while (m.find()) {
      dropped += Long.parseLong(m.group(1));
    }
    assertThat(plan).as(what).doesNotContain("Seq Scan on tasks").containsPattern(INDEXES);
    assertThat(dropped).as(what + ": rows walked past\n" + plan).isLessThanOrEqualTo(MAX_DROPPED);
  }
}
