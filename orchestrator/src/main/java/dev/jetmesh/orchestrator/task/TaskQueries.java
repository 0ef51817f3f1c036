package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Select;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** SQL reads over the task read model and the liveness table. Thread-safe. */
public final class TaskQueries {
  private final Jdbi jdbi;
  private final Database db;

  public TaskQueries(Database db) {
    this.db = db;
    this.jdbi = db.jdbi();
  }

  /** A held task the timers look at. */
  public record HeldTask(
      String taskId,
      String owner,
      TaskStatus status,
      Instant since,
      @Nullable Instant lastActivity) {}

  /**
   * Tasks with tag {@code :tag}. The first condition is implied by the second, but Postgres cannot
   * prove it, and only with it does it read the index of the tagged tasks ({@code tasks_by_tag},
   * which leaves the untagged out so that they cost the projector nothing).
   */
  static final String TAGGED = "cardinality(t.tags) > 0 AND t.tags @> ARRAY[CAST(:tag AS text)]";

  /** The order of {@code mesh.tasks.list}: priority descending, then oldest first. */
  private static final String LIST_ORDER =
      " ORDER BY t.priority DESC, t.created_at ASC, t.submitted_seq ASC";

  /** {@code mesh.tasks.list}: priority descending, then oldest first. */
  public List<Task> list(
      @Nullable TaskStatus status, @Nullable String owner, @Nullable String tag, int limit) {
    return listQuery(status, owner, tag, limit)
        .list(
            jdbi,
            (rs, ctx) -> {
              Task t = TaskDocs.read(rs.getString("doc"));
              Timestamp la = rs.getTimestamp("last_activity");
              return la == null ? t : withLastActivity(t, la.toInstant());
            });
  }

  /**
   * The SQL of {@link #list}: one range of {@code tasks_list_order} for a status, one per status
   * merged ({@link EveryStatus}) without; by tag, the tagged tasks, sorted.
   */
  static Select listQuery(
      @Nullable TaskStatus status, @Nullable String owner, @Nullable String tag, int limit) {
    boolean perStatus = EveryStatus.needed(status, tag);
    Where w =
        new Where()
            .and("t.status = :status", "status", status == null ? null : status.wire())
            .andIf(perStatus, EveryStatus.CONDITION)
            .and("t.owner = :owner", "owner", owner)
            .and(TAGGED, "tag", tag)
            .bind("limit", limit);
    // Keys only until the page is known: merged, each status's share is read and sorted.
    String page =
        "SELECT t.task_id, t.priority, t.created_at, t.submitted_seq FROM tasks t"
            + w.sql()
            + LIST_ORDER
            + " LIMIT :limit";
    if (perStatus) {
      page = EveryStatus.merged(page, LIST_ORDER, ":limit");
    }
    return new Select(
        "SELECT d.doc::text AS doc, l.last_activity FROM ("
            + page
            + ") t JOIN tasks d ON d.task_id = t.task_id"
            + " LEFT JOIN task_liveness l ON l.task_id = t.task_id"
            + LIST_ORDER,
        w);
  }

  /**
   * What a claim by {@code node} needs to know first, in one round trip: the tasks the read model
   * shows as held by the node ({@code node_active}), and the best claimable task that prefers it,
   * if any ({@link #nextPreferred}).
   */
  // preferred is three-valued: null when it was not looked up (the claim index answered).
  @SuppressWarnings("NullableOptional")
  public record ClaimContext(List<String> held, @Nullable Optional<String> preferred) {}

  public ClaimContext claimContext(String node, Collection<String> skip) {
    try (Connection c = db.rawConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT task_ids FROM node_active WHERE node_id = ?), ("
                    + PREFERRED
                    + ")")) {
      ps.setString(1, node);
      ps.setString(2, node);
      ps.setString(3, node);
      ps.setArray(4, c.createArrayOf("text", skip.toArray()));
      ps.setString(5, Task.PLAN_PARENT_TAG);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        java.sql.Array held = rs.getArray(1);
        return new ClaimContext(
            held == null ? List.of() : List.of((String[]) held.getArray()),
            Optional.ofNullable(rs.getString(2)));
      }
    } catch (SQLException e) {
      throw new QueryFailedException("claimable tasks", e);
    }
  }

  private static final String PREFERRED =
      """
      SELECT task_id FROM tasks
      WHERE status = 'queued' AND deps_pending = 0
        AND cardinality(preferred_nodes) > 0
        AND preferred_nodes @> ARRAY[CAST(? AS text)]
        AND NOT exclude_nodes @> ARRAY[CAST(? AS text)]
        AND task_id <> ALL(?)
        AND NOT tags @> ARRAY[CAST(? AS text)]
      ORDER BY priority DESC, submitted_seq ASC LIMIT 1
      """;

  /** A claimable task and the nodes it excludes. */
  public record Candidate(String taskId, List<String> excludeNodes) {}

  /**
   * The best claimable task that prefers {@code node}, if any. Walks only tasks that prefer some
   * node (index {@code tasks_claimable_with_preference}), so it stays cheap at any queue depth.
   */
  public Optional<String> nextPreferred(String node, Collection<String> skip) {
    return first(
        PREFERRED,
        (c, ps) -> {
          ps.setString(1, node);
          ps.setString(2, node);
          ps.setArray(3, c.createArrayOf("text", skip.toArray()));
          ps.setString(4, Task.PLAN_PARENT_TAG);
        });
  }

  /**
   * The first {@code limit} claimable tasks in claim order (priority descending, then arrival),
   * skipping {@code skip}: an index range scan of {@code tasks_claimable}.
   */
  public List<Candidate> claimable(int limit, Collection<String> skip) {
    try (Connection c = db.rawConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                SELECT task_id, exclude_nodes FROM tasks
                WHERE status = 'queued' AND deps_pending = 0 AND task_id <> ALL(?)
                  AND NOT tags @> ARRAY[CAST(? AS text)]
                ORDER BY priority DESC, submitted_seq ASC LIMIT ?
                """)) {
      ps.setArray(1, c.createArrayOf("text", skip.toArray()));
      ps.setString(2, Task.PLAN_PARENT_TAG);
      ps.setInt(3, limit);
      List<Candidate> out = new ArrayList<>(limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Candidate(rs.getString(1), List.of((String[]) rs.getArray(2).getArray())));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new QueryFailedException("claimable tasks", e);
    }
  }

  /** The best claimable task that does not exclude {@code node}, skipping {@code skip}. */
  public Optional<String> nextClaimable(String node, Collection<String> skip) {
    return first(
        """
        SELECT task_id FROM tasks
        WHERE status = 'queued' AND deps_pending = 0
          AND NOT exclude_nodes @> ARRAY[CAST(? AS text)]
          AND task_id <> ALL(?)
          AND NOT tags @> ARRAY[CAST(? AS text)]
        ORDER BY priority DESC, submitted_seq ASC LIMIT 1
        """,
        (c, ps) -> {
          ps.setString(1, node);
          ps.setArray(2, c.createArrayOf("text", skip.toArray()));
          ps.setString(3, Task.PLAN_PARENT_TAG);
        });
  }

  /** A read the claim path makes failed. */
  public static final class QueryFailedException extends dev.jetmesh.schema.MeshException {
    QueryFailedException(String what, SQLException e) {
      super(ErrorCode.UNAVAILABLE, "cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Binder {
    void bind(Connection c, PreparedStatement ps) throws SQLException;
  }

  // The claim path runs these on every claim; plain JDBC skips Jdbi's per-statement machinery,
  // which profiling showed costing more CPU than the queries themselves.
  private Optional<String> first(String sql, Binder binder) {
    try (Connection c = db.rawConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(c, ps);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new QueryFailedException("claimable tasks", e);
    }
  }

  /** Held tasks whose budget deadline has passed (index: tasks_budget_deadline). */
  public List<String> overBudget(Instant now, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT task_id FROM tasks
                    WHERE status IN ('claimed', 'running') AND budget_deadline < :now
                    ORDER BY budget_deadline LIMIT :limit
                    """)
                .bind("now", Timestamp.from(now))
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }

  /**
   * Held tasks silent since before {@code cutoff}: no heartbeat, and started (or, if never started,
   * claimed) before it. The reference only looked at running tasks, so a claimed task that never
   * started blocked its node until the budget ran out. Heartbeats from before the current claim (a
   * requeued task's former owner) do not count.
   */
  public List<HeldTask> silentSince(Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT t.task_id, t.owner, t.status,
                           coalesce(t.started_at, t.claimed_at) AS since, l.last_activity
                    FROM tasks t LEFT JOIN task_liveness l
                        ON l.task_id = t.task_id AND l.last_activity >= t.claimed_at
                    WHERE t.status IN ('claimed', 'running')
                      AND coalesce(l.last_activity, t.started_at, t.claimed_at) < :cutoff
                    ORDER BY coalesce(l.last_activity, t.started_at, t.claimed_at) LIMIT :limit
                    """)
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new HeldTask(
                            rs.getString("task_id"),
                            rs.getString("owner"),
                            TaskStatus.fromWire(rs.getString("status")),
                            rs.getTimestamp("since").toInstant(),
                            rs.getTimestamp("last_activity") == null
                                ? null
                                : rs.getTimestamp("last_activity").toInstant()))
                .list());
  }

  /** Records liveness for a task; not an event. */
  public void touch(String taskId, String node, Instant at, @Nullable String activityJson) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO task_liveness (task_id, node_id, last_activity, activity)
                    VALUES (:t, :n, :at, CAST(:a AS jsonb))
                    ON CONFLICT (task_id) DO UPDATE SET node_id = coalesce(excluded.node_id,
                        task_liveness.node_id), last_activity = greatest(excluded.last_activity,
                        task_liveness.last_activity), activity = coalesce(excluded.activity,
                        task_liveness.activity)
                    """)
                .bind("t", taskId)
                .bind("n", node)
                .bind("at", Timestamp.from(at))
                .bind("a", activityJson)
                .execute());
  }

  /** Last heartbeat of a task, if any. */
  public Optional<Instant> lastActivity(String taskId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT last_activity FROM task_liveness WHERE task_id = :t")
                .bind("t", taskId)
                .mapTo(Timestamp.class)
                .findOne()
                .map(Timestamp::toInstant));
  }

  static Task withLastActivity(Task t, Instant at) {
    Task.Mutable m = t.toMutable();
    m.lastActivity = at;
    return m.build();
  }
}
