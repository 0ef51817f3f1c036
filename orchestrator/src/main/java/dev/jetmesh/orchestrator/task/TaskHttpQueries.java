package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.AttemptOutcome;
import dev.jetmesh.schema.model.TaskStatus;
import java.io.IOException;
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
 * The read API's SQL over tasks and attempts: filtered pages in keyset order, never {@code OFFSET}.
 * Tasks come in claim order (priority descending, then oldest first: index {@code
 * tasks_list_order}), attempts newest first (their primary key, the stream sequence). Reads the
 * plan tables only to name a task's plan. Thread-safe.
 */
public final class TaskHttpQueries {
  static final String TASKS = "tasks";
  static final String ATTEMPTS = "attempts";

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

  /** One attempt, as the attempt listing and a task's detail show it. */
  public record AttemptView(
      String taskId,
      @Nullable Integer attempt,
      @Nullable String nodeId,
      @Nullable String provider,
      @Nullable String model,
      AttemptOutcome outcome,
      @Nullable Integer exitCode,
      @Nullable Long durationMs,
      @Nullable BigDecimal metricScore,
      @Nullable Long tokensIn,
      @Nullable Long tokensOut,
      @Nullable BigDecimal costUsd,
      @Nullable Instant startedAt,
      Instant endedAt,
      long seq,
      boolean keep,
      @Nullable Boolean metricPassed,
      @Nullable JsonNode tokens,
      @Nullable String approach,
      @Nullable String result,
      @Nullable JsonNode output) {}

  /** The filters of {@code GET /api/tasks}; null: not filtered. */
  public record TaskFilter(
      @Nullable TaskStatus status,
      @Nullable String owner,
      @Nullable String tag,
      @Nullable String planId,
      @Nullable String sessionId,
      @Nullable Instant since) {}

  /** The filters of {@code GET /api/attempts}; null: not filtered. */
  public record AttemptFilter(
      @Nullable String taskId,
      @Nullable String provider,
      @Nullable String model,
      @Nullable String nodeId,
      @Nullable AttemptOutcome outcome,
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

  private static final String ORDER = " ORDER BY t.priority DESC, t.created_at, t.submitted_seq";

  /**
   * A page of task summaries after {@code after} (null: the first page). The cursor's keys are
   * (priority, created_at, submitted_seq), the order of {@code tasks_list_order}; the rows after it
   * are the rest of its priority plus every lower priority, read as two index ranges.
   */
  public Page<TaskSummary> tasks(TaskFilter f, Cursor.@Nullable Position after, int limit) {
    Where w =
        new Where()
            .and("t.status = :status", "status", f.status() == null ? null : f.status().wire())
            .and("t.owner = :owner", "owner", f.owner())
            .and("t.tags @> ARRAY[CAST(:tag AS text)]", "tag", f.tag())
            .and("t.collab_session_id = :session", "session", f.sessionId())
            .and(
                "t.task_id IN (SELECT mesh_task_id FROM plan_subtasks WHERE plan_id = :plan"
                    + " AND mesh_task_id IS NOT NULL"
                    + " UNION ALL SELECT parent_task_id FROM plans WHERE plan_id = :plan)",
                "plan",
                f.planId())
            .and("t.created_at >= :since", "since", f.since())
            .bind("n", limit + 1);
    String page;
    if (after == null) {
      page = "SELECT " + PAGE_COLUMNS + " FROM tasks t" + w.sql() + ORDER + " LIMIT :n";
    } else {
      w.bind("cp", (int) after.number(0)).bind("cc", after.instant(1)).bind("cs", after.number(2));
      page =
          "(SELECT "
              + PAGE_COLUMNS
              + " FROM tasks t WHERE t.priority = :cp AND (t.created_at, t.submitted_seq) >"
              + " (:cc, :cs)"
              + w.andSql()
              + " ORDER BY t.created_at, t.submitted_seq LIMIT :n)"
              + " UNION ALL (SELECT "
              + PAGE_COLUMNS
              + " FROM tasks t WHERE t.priority < :cp"
              + w.andSql()
              + ORDER
              + " LIMIT :n)";
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
            + ORDER
            + " LIMIT :n";
    return Page.of(
        w.list(
            jdbi,
            sql,
            (rs, ctx) -> {
              TaskSummary s = summary(rs);
              return new Page.Keyed<>(
                  s,
                  Cursor.encode(TASKS, s.priority(), s.submittedAt(), rs.getLong("submitted_seq")));
            }),
        limit);
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

  /** Every attempt of one task, oldest first. */
  public List<AttemptView> attemptsOf(String taskId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM task_attempts WHERE task_id = :t ORDER BY seq")
                .bind("t", taskId)
                .map((rs, ctx) -> attempt(rs))
                .list());
  }

  /** A page of attempts across tasks, newest first, after {@code after} (null: the first page). */
  public Page<AttemptView> attempts(AttemptFilter f, Cursor.@Nullable Position after, int limit) {
    AttemptOutcome o = f.outcome();
    Where w =
        new Where()
            .and("task_id = :task", "task", f.taskId())
            .and("provider = :provider", "provider", f.provider())
            .and("model = :model", "model", f.model())
            .and("node_id = :node", "node", f.nodeId())
            .and("recorded_at >= :since", "since", f.since())
            .and("seq < :after", "after", after == null ? null : after.number(0))
            .andIf(o == AttemptOutcome.KEPT, "keep")
            .andIf(o == AttemptOutcome.METRIC_FAILED, "NOT keep AND metric_passed IS FALSE")
            .andIf(o == AttemptOutcome.FAILED, "NOT keep AND metric_passed IS NOT FALSE")
            .bind("n", limit + 1);
    return Page.of(
        w.list(
            jdbi,
            "SELECT * FROM task_attempts" + w.sql() + " ORDER BY seq DESC LIMIT :n",
            (rs, ctx) -> {
              AttemptView a = attempt(rs);
              return new Page.Keyed<>(a, Cursor.encode(ATTEMPTS, a.seq()));
            }),
        limit);
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

  private static AttemptView attempt(ResultSet rs) throws SQLException {
    JsonNode tokens = json(rs.getString("tokens"));
    Long duration = rs.getObject("duration_ms", Long.class);
    Instant ended = rs.getTimestamp("recorded_at").toInstant();
    boolean keep = rs.getBoolean("keep");
    Boolean metricPassed = rs.getObject("metric_passed", Boolean.class);
    return new AttemptView(
        rs.getString("task_id"),
        rs.getObject("attempt", Integer.class),
        rs.getString("node_id"),
        rs.getString("provider"),
        rs.getString("model"),
        AttemptOutcome.of(keep, metricPassed),
        rs.getObject("exit_code", Integer.class),
        duration,
        rs.getBigDecimal("metric_score"),
        count(tokens, "input"),
        count(tokens, "output"),
        rs.getBigDecimal("cost_usd"),
        duration == null ? null : ended.minusMillis(duration),
        ended,
        rs.getLong("seq"),
        keep,
        metricPassed,
        tokens,
        rs.getString("approach"),
        rs.getString("result"),
        json(rs.getString("output")));
  }

  private static @Nullable Long count(@Nullable JsonNode tokens, String field) {
    JsonNode n = tokens == null ? null : tokens.get(field);
    return n != null && n.isIntegralNumber() ? n.asLong() : null;
  }

  private static @Nullable JsonNode json(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable task_attempts document: " + e.getMessage(), e);
    }
  }

  private static List<String> strings(Array a) throws SQLException {
    return List.of((String[]) a.getArray());
  }
}
