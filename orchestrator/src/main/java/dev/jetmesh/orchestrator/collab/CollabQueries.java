package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.model.CollabSession;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads of the collab read model. Thread-safe. */
public final class CollabQueries {
  private final Database db;

  public CollabQueries(Database db) {
    this.db = db;
  }

  /** A session as projected, with the sequence a reactor must append at. */
  public record Projected(CollabSession session, long lastSeq) {}

  /** Open sessions (recruiting, active, converged). */
  public List<Projected> open() {
    return sessions(
        "SELECT doc::text, last_seq FROM collab_sessions"
            + " WHERE status IN ('recruiting', 'active', 'converged') ORDER BY created_at");
  }

  /** One session as projected, or null. */
  public Projected get(String sessionId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT doc::text, last_seq FROM collab_sessions WHERE session_id = :s")
                    .bind("s", sessionId)
                    .map(
                        (rs, ctx) ->
                            new Projected(CollabProjector.read(rs.getString(1)), rs.getLong(2)))
                    .findOne()
                    .orElse(null));
  }

  /**
   * Sessions whose parent task is out of step: a completed or aborted session whose parent is still
   * held or queued (its outcome was not applied), or an open session whose parent failed, was
   * released or was cancelled (the session must be aborted). Recently ended sessions only.
   */
  public List<Projected> outOfStepWithParent(Instant endedSince) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        """
                        SELECT s.doc::text, s.last_seq FROM collab_sessions s
                        JOIN tasks t ON t.task_id = s.task_id
                        WHERE (s.completed_at >= :since
                               AND ((s.status = 'completed' AND t.status <> 'completed'
                                     AND t.status IN ('queued', 'claimed', 'running'))
                                 OR (s.status = 'aborted'
                                     AND t.status IN ('queued', 'claimed', 'running'))))
                           OR (s.status IN ('recruiting', 'active', 'converged')
                               AND t.status IN ('failed', 'released', 'cancelled'))
                        """)
                    .bind("since", java.sql.Timestamp.from(endedSince))
                    .map(
                        (rs, ctx) ->
                            new Projected(CollabProjector.read(rs.getString(1)), rs.getLong(2)))
                    .list());
  }

  /**
   * The sweep's query; its WHERE clause is the predicate of the index {@code tasks_collab_waiting}
   * (migration V10), word for word, so that it is used without statistics.
   */
  static final String TASKS_WITHOUT_SESSION =
      """
      SELECT t.task_id FROM tasks t
      WHERE t.collab_session_id IS NOT NULL AND t.status = 'queued'
        AND NOT EXISTS (SELECT 1 FROM collab_sessions s
                        WHERE s.session_id = t.collab_session_id)
      LIMIT :n
      """;

  /** The projected task whose {@code collab_session_id} is {@code sid}, or null. */
  public @Nullable String taskAnnouncing(String sid) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT task_id FROM tasks WHERE collab_session_id = :sid LIMIT 1")
                    .bind("sid", sid)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
  }

  /** Tasks with a collaboration spec whose session is not in the read model yet. */
  public List<String> tasksWithoutSession(int limit) {
    return db.jdbi()
        .withHandle(
            h -> h.createQuery(TASKS_WITHOUT_SESSION).bind("n", limit).mapTo(String.class).list());
  }

  /** The {@code mesh.collab.recruiting} rows. */
  public List<CollabSession> recruiting() {
    return sessions(
            "SELECT doc::text, last_seq FROM collab_sessions WHERE status = 'recruiting'"
                + " ORDER BY created_at")
        .stream()
        .map(Projected::session)
        .toList();
  }

  /** Session ids of a task, oldest first. */
  public List<String> sessionsOfTask(String taskId) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT session_id FROM collab_sessions WHERE task_id = :t"
                            + " ORDER BY created_at")
                    .bind("t", taskId)
                    .mapTo(String.class)
                    .list());
  }

  private List<Projected> sessions(String sql) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(sql)
                    .map(
                        (rs, ctx) ->
                            new Projected(CollabProjector.read(rs.getString(1)), rs.getLong(2)))
                    .list());
  }
}
