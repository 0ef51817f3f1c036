package dev.jetmesh.orchestrator.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.projection.ProjectionWriteException;
import dev.jetmesh.schema.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;

/**
 * Recounts {@code deps_pending} for new tasks that have dependencies and for queued tasks that wait
 * on a task completed in the batch. A recount, not a decrement, so that order and re-application
 * cannot skew it. Not thread-safe; one per batch.
 */
final class DependencyRecount {
  private static final String RECOUNT =
      """
      UPDATE tasks t SET deps_pending = (
          SELECT count(*) FROM unnest(t.depends_on) d
          WHERE NOT EXISTS (SELECT 1 FROM tasks x WHERE x.task_id = d AND x.status = 'completed'))
      """;
  private static final String RETURNING = " RETURNING t.task_id, t.deps_pending";
  private static final String FRESH =
      RECOUNT + " WHERE t.task_id = ANY(CAST(? AS text[]))" + RETURNING;
  private static final String WAITING =
      RECOUNT
          + " WHERE t.status = 'queued' AND t.deps_pending > 0"
          + " AND t.depends_on && CAST(? AS text[])"
          + RETURNING;

  private final AtomicBoolean dependencyWaiters;
  private final Set<String> completed = new HashSet<>();
  private final Map<String, Integer> pending = new HashMap<>();

  /**
   * @param dependencyWaiters false only while no queued task can be waiting on a dependency (then a
   *     completion needs no recount); raised here when a task with dependencies is submitted
   */
  DependencyRecount(AtomicBoolean dependencyWaiters) {
    this.dependencyWaiters = dependencyWaiters;
  }

  /** Notes a task completed in this batch: the tasks waiting on it are recounted. */
  void completed(String taskId) {
    completed.add(taskId);
  }

  /** task id → dependencies still pending, for every task recounted. */
  Map<String, Integer> pending() {
    return pending;
  }

  /**
   * Runs the recounts, after the batch's task rows are written (they are what is counted).
   *
   * @param submitted the tasks submitted in this batch
   * @param states the batch's tasks by id
   */
  void run(Handle h, Collection<String> submitted, Map<String, Task> states) {
    List<String> fresh = new ArrayList<>();
    for (String id : submitted) {
      if (!requireNonNull(states.get(id), "a submitted task is in the batch")
          .dependsOn()
          .isEmpty()) {
        fresh.add(id);
      }
    }
    if (!fresh.isEmpty()) {
      dependencyWaiters.set(true);
    }
    Connection c = h.getConnection();
    try {
      if (!fresh.isEmpty()) {
        recount(c, FRESH, fresh);
      }
      if (!completed.isEmpty() && dependencyWaiters.get()) {
        recount(c, WAITING, completed);
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("tasks (deps_pending)", e);
    }
  }

  private void recount(Connection c, String sql, Collection<String> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          pending.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
  }
}
