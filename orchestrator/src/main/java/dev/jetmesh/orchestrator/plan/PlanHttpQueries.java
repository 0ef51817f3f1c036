package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskStatus;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read API's SQL over plans: pages of summaries, newest first (index {@code plans_list_order}
 * read backwards), by keyset; each with its progress counted from {@code plan_subtasks}.
 * Thread-safe.
 */
final class PlanHttpQueries {
  static final String KIND = "plans";

  private final Jdbi jdbi;

  PlanHttpQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** How far a plan is: its subtasks by status, how many can no longer change, in percent. */
  record Progress(
      int total,
      int pending,
      int queued,
      int completed,
      int failed,
      int blocked,
      int done,
      int percent) {
    static Progress of(Map<String, Integer> byStatus) {
      int total = 0;
      int done = 0;
      for (SubtaskStatus s : SubtaskStatus.values()) {
        int n = byStatus.getOrDefault(s.wire(), 0);
        total += n;
        done += s.isTerminal() ? n : 0;
      }
      return new Progress(
          total,
          byStatus.getOrDefault(SubtaskStatus.PENDING.wire(), 0),
          byStatus.getOrDefault(SubtaskStatus.QUEUED.wire(), 0),
          byStatus.getOrDefault(SubtaskStatus.COMPLETED.wire(), 0),
          byStatus.getOrDefault(SubtaskStatus.FAILED.wire(), 0),
          byStatus.getOrDefault(SubtaskStatus.BLOCKED.wire(), 0),
          done,
          total == 0 ? 100 : done * 100 / total);
    }

    static Progress of(Collection<Subtask> subtasks) {
      Map<String, Integer> byStatus = new LinkedHashMap<>();
      subtasks.forEach(s -> byStatus.merge(s.status().wire(), 1, Integer::sum));
      return of(byStatus);
    }
  }

  /** One row of {@code GET /api/plans}. */
  record PlanSummary(
      String planId,
      String parentTaskId,
      String title,
      String status,
      @Nullable Boolean success,
      int estimatedWaves,
      Progress progress,
      Instant createdAt,
      @Nullable Instant startedAt,
      @Nullable Instant completedAt) {}

  Page<PlanSummary> plans(
      @Nullable PlanStatus status,
      @Nullable String parentTaskId,
      Cursor.@Nullable Position after,
      int limit) {
    Where w =
        new Where()
            .and("p.status = :status", "status", status == null ? null : status.wire())
            .and("p.parent_task_id = :parent", "parent", parentTaskId)
            .and(
                "(p.created_at, p.plan_id) < (:c, :id)",
                "c",
                after == null ? null : after.instant(0))
            .bind("n", limit + 1);
    if (after != null) {
      w.bind("id", after.text(1));
    }
    String sql =
        """
        SELECT p.plan_id, p.parent_task_id, p.title, p.status, p.success, p.estimated_waves,
               p.created_at, p.started_at, p.completed_at,
               (SELECT json_object_agg(x.status, x.n)::text FROM
                  (SELECT s.status, count(*) AS n FROM plan_subtasks s
                   WHERE s.plan_id = p.plan_id GROUP BY s.status) x) AS by_status
        FROM plans p"""
            + w.sql()
            + " ORDER BY p.created_at DESC, p.plan_id DESC LIMIT :n";
    return Page.of(
        w.list(
            jdbi,
            sql,
            (rs, ctx) -> {
              PlanSummary s = summary(rs);
              return new Page.Keyed<>(s, Cursor.encode(KIND, s.createdAt(), s.planId()));
            }),
        limit);
  }

  private static PlanSummary summary(ResultSet rs) throws SQLException {
    return new PlanSummary(
        rs.getString("plan_id"),
        rs.getString("parent_task_id"),
        rs.getString("title"),
        rs.getString("status"),
        rs.getObject("success", Boolean.class),
        rs.getInt("estimated_waves"),
        Progress.of(counts(rs.getString("by_status"))),
        rs.getTimestamp("created_at").toInstant(),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("completed_at")));
  }

  private static Map<String, Integer> counts(@Nullable String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return Json.mapper().readValue(json, new TypeReference<Map<String, Integer>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("unreadable subtask counts: " + e.getMessage(), e);
    }
  }

  private static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
