package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Select;
import dev.jetmesh.orchestrator.task.TaskHttpQueries.TaskFilter;
import dev.jetmesh.orchestrator.task.TaskHttpQueries.TaskSummary;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * list filtered by status, or not filtered, reads a page's worth of rows per status whatever the
 * history's size, once the table has statistics; a list by an owner or a tag that few tasks have
 * reads those tasks (V13); and an unfiltered list gives exactly what one sort of the whole table
 * gives. Lists by session, plan or time are not covered: those filters may still walk the history.
 */
class TaskListPlanIT {
  private static final int OTHERS = 40;

  /** An owner and a tag of a handful of tasks, among a history where every task has both. */
  private static final String RARE_OWNER = "node-rare";

  private static final String RARE_TAG = "tag-rare";

  /**
   * Rows a list by tag may read: a small part of the 50,000 tasks of the history, never all. How
   * Postgres reads it depends on the statistics: every task with the tag (1,000 for the common one;
   * its entries in the tag's index and its rows) sorted; or a walk of the list order until it has a
   * page of them (about 50 rows for each, since one task in 50 has the tag); or, with a status
   * after a cursor, the tag's index combined with that status's range of the list order (9,519
   * index entries seen for 167 rows, cheaper than the walk's 2,500 rows: entries are read in order,
   * rows one by one). The bound counts entries and rows alike.
   */
  private static final long TAGGED_READ = 10_000;

  /** The owner of half the history, and a tag of 1,000 tasks. */
  private static final String BUSY_OWNER = "node-busy";

  private static final String COMMON_TAG = "batch-7";

  /** Rows a list may read: a page (at most 101) per status and the two ranges of a cursor. */
  private static final long MAX_READ = 2_000;

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
              // The history: priorities 0..2, one a millisecond, as a drained mesh holds them,
              // half completed by one busy node and the rest by ten others, tagged with one of 50
              // batches; the last five by the rare owner, with the rare tag.
              h.execute(
                  """
                  INSERT INTO tasks (task_id, title, status, priority, budget_minutes, owner, tags,
                      depends_on, preferred_nodes, exclude_nodes, created_at, deps_pending,
                      submitted_seq, last_seq, doc)
                  SELECT 'h' || g, 'Task ' || g, 'completed', g % 3, 30,
                      CASE WHEN g > 49995 THEN 'node-rare' WHEN g % 2 = 0 THEN 'node-busy'
                          ELSE 'node-' || g % 20 END,
                      CASE WHEN g > 49995 THEN ARRAY['tag-rare'] ELSE ARRAY['batch-' || g % 50] END,
                      '{}', '{}', '{}',
                      timestamptz '2026-12-01 00:00:00+00' + g * interval '1 millisecond', 0,
                      g, 100000 + g, json_build_object('task_id', 'h' || g)
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
                              0, :seq, :last, json_build_object('task_id', CAST(:id AS text)))
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
  void listsByStatusOrNone_readAPageOfRows_whateverTheHistory() {
    // As autovacuum leaves it. Before any statistics, Postgres guesses a status has a few hundred
    // rows, and may read all of a status's rows and sort them (50,000 here: a 50,000-row bitmap
    // scan was seen), which is what every list by status did before V12.
    db.jdbi().useHandle(h -> h.execute("ANALYZE tasks"));
    for (TaskStatus status : new TaskStatus[] {TaskStatus.QUEUED, TaskStatus.COMPLETED, null}) {
      assertUsesIndexes(
          "mesh.tasks.list, status " + status, TaskQueries.listQuery(status, null, null, 100));
      for (TaskOrder order : TaskOrder.values()) {
        for (Cursor.Position after : new Cursor.Position[] {null, middle(order)}) {
          assertUsesIndexes(
              "GET /api/tasks, status "
                  + status
                  + ", order "
                  + order.wire()
                  + (after == null ? ", first page" : ", after a cursor"),
              TaskHttpQueries.pageQuery(filter(status), order, after, 50));
        }
      }
    }
  }

  @Test
  void listsByOwnerOrTag_readTheirTasksOrAPageOfThem_notTheHistory() {
    db.jdbi().useHandle(h -> h.execute("ANALYZE tasks"));
    for (TaskStatus status : new TaskStatus[] {TaskStatus.COMPLETED, null}) {
      for (String owner : List.of(RARE_OWNER, BUSY_OWNER)) {
        assertUsesIndexes(
            "mesh.tasks.list, owner " + owner + ", status " + status,
            TaskQueries.listQuery(status, owner, null, 100));
      }
      for (String tag : List.of(RARE_TAG, COMMON_TAG)) {
        assertUsesIndexes(
            "mesh.tasks.list, tag " + tag + ", status " + status,
            TaskQueries.listQuery(status, null, tag, 100),
            TAGGED_READ);
      }
      for (TaskOrder order : TaskOrder.values()) {
        for (Cursor.Position after : new Cursor.Position[] {null, middle(order)}) {
          String page = ", order " + order.wire() + (after == null ? "" : ", after a cursor");
          for (String owner : List.of(RARE_OWNER, BUSY_OWNER)) {
            assertUsesIndexes(
                "GET /api/tasks, owner " + owner + ", status " + status + page,
                TaskHttpQueries.pageQuery(
                    new TaskFilter(status, owner, null, null, null, null), order, after, 50));
          }
          for (String tag : List.of(RARE_TAG, COMMON_TAG)) {
            assertUsesIndexes(
                "GET /api/tasks, tag " + tag + ", status " + status + page,
                TaskHttpQueries.pageQuery(
                    new TaskFilter(status, null, tag, null, null, null), order, after, 50),
                TAGGED_READ);
          }
        }
      }
    }
    Select q = TaskQueries.listQuery(null, RARE_OWNER, RARE_TAG, 100);
    List<String> listed =
        db.jdbi()
            .withHandle(
                h ->
                    q.where()
                        .bindTo(h.createQuery(q.sql()))
                        .map((rs, ctx) -> tree(rs.getString("doc")).path("task_id").asText())
                        .list());
    assertThat(listed).containsExactly("h49997", "h50000", "h49996", "h49999", "h49998");
  }

  @Test
  void pagesByOwnerOrTag_equalOneSortOfTheirTasks() {
    for (TaskOrder order : TaskOrder.values()) {
      for (String owner : List.of(RARE_OWNER, BUSY_OWNER)) {
        assertThat(paged(new TaskFilter(null, owner, null, null, null, null), order))
            .as(order.wire() + ", owner " + owner)
            .containsExactlyElementsOf(sorted("t.owner = :v", owner, order));
      }
      for (String tag : List.of(RARE_TAG, COMMON_TAG)) {
        assertThat(paged(new TaskFilter(null, null, tag, null, null, null), order))
            .as(order.wire() + ", tag " + tag)
            .containsExactlyElementsOf(sorted("t.tags @> ARRAY[CAST(:v AS text)]", tag, order));
      }
    }
  }

  /** The first 300 tasks of {@code f} in {@code order}, read a page of 60 at a time. */
  private static List<String> paged(TaskFilter f, TaskOrder order) {
    TaskHttpQueries queries = new TaskHttpQueries(db);
    List<String> paged = new ArrayList<>();
    Cursor.Position after = null;
    while (paged.size() < 300) {
      Page<TaskSummary> p = queries.tasks(f, order, after, 60);
      p.items().forEach(s -> paged.add(s.taskId()));
      String next = p.nextCursor();
      if (next == null) {
        break;
      }
      after = Cursor.decode(order.cursorKind(), next, order.cursorKeys());
    }
    return paged;
  }

  /** The first 300 tasks where {@code condition} holds for {@code :v}, in one sort. */
  private static List<String> sorted(String condition, String value, TaskOrder order) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT t.task_id FROM tasks t WHERE "
                            + condition
                            + order.orderBy()
                            + " LIMIT 300")
                    .bind("v", value)
                    .mapTo(String.class)
                    .list());
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

  @Test
  void theUnfilteredWireList_equalsOneSortOfTheWholeTable() {
    List<String> expected =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT task_id FROM tasks"
                                + " ORDER BY priority DESC, created_at, submitted_seq LIMIT 300")
                        .mapTo(String.class)
                        .list());
    Select q = TaskQueries.listQuery(null, null, null, 300);
    List<String> listed =
        db
            .jdbi()
            .withHandle(
                h ->
                    q.where()
                        .bindTo(h.createQuery(q.sql()))
                        .map((rs, ctx) -> tree(rs.getString("doc")))
                        .list())
            .stream()
            .map(doc -> doc.path("task_id").asText())
            .toList();
    assertThat(listed).containsExactlyElementsOf(expected);
  }

  @Test
  void aStatusTheCodeDoesNotKnow_isRefused_forItWouldNeverBeListed() {
    // rolled back either way, so that the other tests' table is left as it was
    db.jdbi()
        .useHandle(
            h -> {
              h.begin();
              try {
                assertThatThrownBy(
                        () ->
                            h.execute(
                                "UPDATE tasks SET status = 'paused' WHERE task_id = 'queued-0'"))
                    .hasMessageContaining("tasks_status_known");
              } finally {
                h.rollback();
              }
            });
  }

  @Test
  void theStatusesTheTableAllows_areTheStatusesOfTheCode() {
    String check =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                                + " WHERE conname = 'tasks_status_known'")
                        .mapTo(String.class)
                        .one());
    List<String> allowed = new ArrayList<>();
    Matcher m = Pattern.compile("'([a-z_]+)'::text").matcher(check);
    while (m.find()) {
      allowed.add(m.group(1));
    }
    assertThat(allowed)
        .as(check)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(TaskStatus.values()).map(TaskStatus::wire).toList());
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
   * Runs {@code q} under EXPLAIN ANALYZE: every row that a node of the plan reads from {@code
   * tasks} or hands up from one of its indexes (kept or dropped by a filter, times the node's
   * loops) counts; it must read a page's worth per status, not the history, and never scan the
   * table.
   */
  private static void assertUsesIndexes(String what, Select q) {
    assertUsesIndexes(what, q, MAX_READ);
  }

  private static void assertUsesIndexes(String what, Select q, long maxRead) {
    String json =
        db.jdbi()
            .withHandle(
                h ->
                    q.where()
                        .bindTo(
                            h.createQuery("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + q.sql()))
                        .mapTo(String.class)
                        .one());
    JsonNode plan = tree(json).get(0).path("Plan");
    List<JsonNode> scans = new ArrayList<>();
    collectTaskScans(plan, scans);
    long read = 0;
    for (JsonNode n : scans) {
      long rows =
          n.path("Actual Rows").asLong()
              + n.path("Rows Removed by Filter").asLong()
              + n.path("Rows Removed by Index Recheck").asLong();
      read += rows * n.path("Actual Loops").asLong();
    }
    assertThat(scans).as(what + ": reads tasks").isNotEmpty();
    assertThat(scans)
        .as(what + ": never scans the table\n" + json)
        .noneMatch(n -> n.path("Node Type").asText().equals("Seq Scan"));
    assertThat(read).as(what + ": rows read from tasks\n" + json).isLessThanOrEqualTo(maxRead);
  }

  private static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The plan's nodes that read tasks or one of its indexes (a bitmap's index scan names no table).
   */
  private static void collectTaskScans(JsonNode node, List<JsonNode> into) {
    if ("tasks".equals(node.path("Relation Name").asText())
        || (node.path("Node Type").asText().equals("Bitmap Index Scan")
            && node.path("Index Name").asText().startsWith("tasks_"))) {
      into.add(node);
    }
    for (JsonNode child : node.path("Plans")) {
      collectTaskScans(child, into);
    }
  }
}
