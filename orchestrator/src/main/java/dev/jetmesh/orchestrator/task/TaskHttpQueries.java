package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Select;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.schema.model.TaskStatus;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read API's SQL over tasks: filtered pages in keyset order, never {@code OFFSET}, in a {@link
 * TaskOrder} (claim order by default). Reads the plan tables only to name a task's plan; attempts
 * are {@link AttemptHttpQueries}'. Thread-safe.
 */
public final class TaskHttpQueries {
  static final String TASKS = "tasks";

  private final Jdbi jdbi;

  public TaskHttpQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** One row of {@code GET /api/tasks}. */
  public record TaskSummary(
      String taskId,
      String title,
      String status,
      int priority,
      @Nullable String owner,
      List<String> tags,
      @Nullable String provider,
      @Nullable String model,
      @Nullable String planId,
      @Nullable String sessionId,
      Instant submittedAt,
      Instant updatedAt,
      int attempts,
      @Nullable BigDecimal costUsd) {}

  /** The filters of {@code GET /api/tasks}; null: not filtered. */
  public record TaskFilter(
      @Nullable TaskStatus status,
      @Nullable String owner,
      @Nullable String tag,
      @Nullable String planId,
      @Nullable String sessionId,
      @Nullable Instant since) {}

  private static final String PLAN_OF =
      """
      coalesce((SELECT ps.plan_id FROM plan_subtasks ps WHERE ps.mesh_task_id = t.task_id
                ORDER BY ps.plan_id LIMIT 1),
               (SELECT p.plan_id FROM plans p WHERE p.parent_task_id = t.task_id
                ORDER BY p.created_at DESC LIMIT 1))""";

  private static final String PAGE_COLUMNS =
      "t.task_id, t.title, t.status, t.priority, t.owner, t.tags, t.llm_provider, t.llm_model,"
          + " t.collab_session_id, t.created_at, t.claimed_at, t.started_at, t.completed_at,"
          + " t.submitted_seq, t.last_seq";

  /**
   * A page of task summaries in {@code order} after {@code after} (null: the first page). In claim
   * order the cursor's keys are (priority, created_at, submitted_seq), the order of {@code
   * tasks_list_order} within a status; the rows after it are the rest of its priority plus every
   * lower priority, read as two index ranges. The other orders page by their one sequence ({@link
   * TaskOrder}). Without a status filter, each status is read apart and merged ({@link
   * EveryStatus}), unless the list is by tag: then the tagged tasks are read and sorted.
   */
  public Page<TaskSummary> tasks(
      TaskFilter f, TaskOrder order, Cursor.@Nullable Position after, int limit) {
    return Page.of(
        pageQuery(f, order, after, limit)
            .list(
                jdbi,
                (rs, ctx) -> {
                  TaskSummary s = summary(rs);
                  String cursor =
                      switch (order) {
                        case CLAIM ->
                            Cursor.encode(
                                order.cursorKind(),
                                s.priority(),
                                s.submittedAt(),
                                rs.getLong("submitted_seq"));
                        case NEWEST ->
                            Cursor.encode(order.cursorKind(), rs.getLong("submitted_seq"));
                        case UPDATED -> Cursor.encode(order.cursorKind(), rs.getLong("last_seq"));
                      };
                  return new Page.Keyed<>(s, cursor);
                }),
        limit);
  }

  /** The SQL of {@link #tasks} and the values it binds. */
  static Select pageQuery(
      TaskFilter f, TaskOrder order, Cursor.@Nullable Position after, int limit) {
    boolean perStatus = EveryStatus.needed(f.status(), f.tag());
    Where w =
        new Where()
            .and("t.status = :status", "status", f.status() == null ? null : f.status().wire())
            .andIf(perStatus, EveryStatus.CONDITION)
            .and("t.owner = :owner", "owner", f.owner())
            .and(TaskQueries.TAGGED, "tag", f.tag())
            .and("t.collab_session_id = :session", "session", f.sessionId())
            .and(
                "t.task_id IN (SELECT mesh_task_id FROM plan_subtasks WHERE plan_id = :plan"
                    + " AND mesh_task_id IS NOT NULL"
                    + " UNION ALL SELECT parent_task_id FROM plans WHERE plan_id = :plan)",
                "plan",
                f.planId())
            .and("t.created_at >= :since", "since", f.since())
            .bind("n", limit + 1);
    String page =
        switch (order) {
          case CLAIM -> claimPage(w, after);
          case NEWEST -> seqPage(w.and("t.submitted_seq < :after", "after", key(after)), order);
          case UPDATED -> seqPage(w.and("t.last_seq < :after", "after", key(after)), order);
        };
    if (perStatus) {
      page = EveryStatus.merged(page, order.orderBy(), ":n");
    }
    String sql =
        "WITH page AS ("
            + page
            + ") SELECT t.*, "
            + PLAN_OF
            + " AS plan_id, e.occurred_at AS last_event_at, a.n AS attempt_count, a.cost"
            + " FROM page t LEFT JOIN event_log e ON e.seq = t.last_seq"
            + " LEFT JOIN LATERAL (SELECT count(*) AS n, sum(x.cost_usd) AS cost"
            + " FROM task_attempts x WHERE x.task_id = t.task_id) a ON true"
            + order.orderBy()
            + " LIMIT :n";
    return new Select(sql, w);
  }

  private static String claimPage(Where w, Cursor.@Nullable Position after) {
    String order = TaskOrder.CLAIM.orderBy();
    if (after == null) {
      return "SELECT " + PAGE_COLUMNS + " FROM tasks t" + w.sql() + order + " LIMIT :n";
    }
    w.bind("cp", (int) after.number(0)).bind("cc", after.instant(1)).bind("cs", after.number(2));
    return "(SELECT "
        + PAGE_COLUMNS
        + " FROM tasks t WHERE t.priority = :cp AND (t.created_at, t.submitted_seq) >"
        + " (:cc, :cs)"
        + w.andSql()
        + " ORDER BY t.created_at, t.submitted_seq LIMIT :n)"
        + " UNION ALL (SELECT "
        + PAGE_COLUMNS
        + " FROM tasks t WHERE t.priority < :cp"
        + w.andSql()
        + order
        + " LIMIT :n)";
  }

  private static String seqPage(Where w, TaskOrder order) {
    return "SELECT " + PAGE_COLUMNS + " FROM tasks t" + w.sql() + order.orderBy() + " LIMIT :n";
  }

  private static @Nullable Long key(Cursor.@Nullable Position after) {
    return after == null ? null : after.number(0);
  }

  /** The plan a task runs a subtask of, else the latest plan it is the parent of; or empty. */
  public Optional<String> planOf(String taskId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + PLAN_OF + " FROM (SELECT CAST(:t AS text) AS task_id) t")
                .bind("t", taskId)
                .mapTo(String.class)
                .findOne());
  }

  private static TaskSummary summary(ResultSet rs) throws SQLException {
    Instant created = rs.getTimestamp("created_at").toInstant();
    return new TaskSummary(
        rs.getString("task_id"),
        rs.getString("title"),
        rs.getString("status"),
        rs.getInt("priority"),
        rs.getString("owner"),
        strings(rs.getArray("tags")),
        rs.getString("llm_provider"),
        rs.getString("llm_model"),
        rs.getString("plan_id"),
        rs.getString("collab_session_id"),
        created,
        updated(rs, created),
        rs.getInt("attempt_count"),
        rs.getBigDecimal("cost"));
  }

  /** The time of the task's last event; while event_log lags, its latest own timestamp. */
  private static Instant updated(ResultSet rs, Instant created) throws SQLException {
    Timestamp last = rs.getTimestamp("last_event_at");
    if (last != null) {
      return last.toInstant();
    }
    Instant u = created;
    for (String c : List.of("claimed_at", "started_at", "completed_at")) {
      Timestamp t = rs.getTimestamp(c);
      if (t != null && t.toInstant().isAfter(u)) {
        u = t.toInstant();
      }
    }
    return u;
  }

  private static List<String> strings(Array a) throws SQLException {
    return List.of((String[]) a.getArray());
  }
}
