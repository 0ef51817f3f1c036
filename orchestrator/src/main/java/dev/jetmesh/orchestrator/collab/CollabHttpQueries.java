package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.schema.model.CollabStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** The read API's SQL over sessions: pages of summaries, newest first, by keyset. Thread-safe. */
final class CollabHttpQueries {
  static final String KIND = "collab";

  private final Jdbi jdbi;

  CollabHttpQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** One row of {@code GET /api/collab}. */
  record SessionSummary(
      String sessionId,
      String taskId,
      String mode,
      String status,
      String convergence,
      int round,
      int maxRounds,
      int minNodes,
      @Nullable Integer maxNodes,
      List<String> members,
      @Nullable String currentTurn,
      Instant createdAt,
      @Nullable Instant completedAt,
      @Nullable String abortReason) {}

  Page<SessionSummary> sessions(
      @Nullable CollabStatus status, Cursor.@Nullable Position after, int limit) {
    Where w =
        new Where()
            .and("s.status = :status", "status", status == null ? null : status.wire())
            .and(
                "(s.created_at, s.session_id) < (:c, :s)",
                "c",
                after == null ? null : after.instant(0))
            .bind("n", limit + 1);
    if (after != null) {
      w.bind("s", after.text(1));
    }
    String sql =
        """
        SELECT s.session_id, s.task_id, s.mode, s.status, s.convergence_type, s.current_round,
               s.max_rounds, s.min_nodes, s.max_nodes, s.current_turn, s.created_at,
               s.completed_at, s.abort_reason,
               ARRAY(SELECT m.node_id FROM collab_members m WHERE m.session_id = s.session_id
                     ORDER BY m.joined_at, m.node_id) AS members
        FROM collab_sessions s"""
            + w.sql()
            + " ORDER BY s.created_at DESC, s.session_id DESC LIMIT :n";
    return Page.of(
        w.list(
            jdbi,
            sql,
            (rs, ctx) -> {
              SessionSummary s = summary(rs);
              return new Page.Keyed<>(s, Cursor.encode(KIND, s.createdAt(), s.sessionId()));
            }),
        limit);
  }

  private static SessionSummary summary(ResultSet rs) throws SQLException {
    Timestamp completed = rs.getTimestamp("completed_at");
    return new SessionSummary(
        rs.getString("session_id"),
        rs.getString("task_id"),
        rs.getString("mode"),
        rs.getString("status"),
        rs.getString("convergence_type"),
        rs.getInt("current_round"),
        rs.getInt("max_rounds"),
        rs.getInt("min_nodes"),
        rs.getObject("max_nodes", Integer.class),
        List.of((String[]) rs.getArray("members").getArray()),
        rs.getString("current_turn"),
        rs.getTimestamp("created_at").toInstant(),
        completed == null ? null : completed.toInstant(),
        rs.getString("abort_reason"));
  }
}
