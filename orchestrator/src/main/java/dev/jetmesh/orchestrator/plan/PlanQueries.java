package dev.jetmesh.orchestrator.plan;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.PlanRequests.Summary;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** SQL reads over the plan read model (and the task rows the reactor needs). Thread-safe. */
public final class PlanQueries {
  private final Jdbi jdbi;

  public PlanQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** The projected plan, or empty. */
  public Optional<Plan> plan(String planId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT doc::text FROM plans WHERE plan_id = :id")
                .bind("id", planId)
                .mapTo(String.class)
                .findOne()
                .map(PlanProjector::read));
  }

  /** Plans with a dispatched subtask running as one of {@code taskIds}. */
  public List<String> plansOfTasks(Collection<String> taskIds) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT plan_id FROM plan_subtasks WHERE mesh_task_id = ANY(:ids)")
                .bindArray("ids", String.class, taskIds)
                .mapTo(String.class)
                .list());
  }

  /**
   * Plans the reactor must look at: executing ones, and completed ones whose parent task is not
   * finished yet.
   */
  public List<String> open(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT p.plan_id FROM plans p
                    WHERE p.status = 'executing'
                       OR (p.status = 'completed' AND EXISTS (SELECT 1 FROM tasks t
                           WHERE t.task_id = p.parent_task_id
                             AND t.status IN ('queued', 'claimed', 'running')))
                    ORDER BY p.created_at LIMIT :limit
                    """)
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }

  /** The projected tasks with these ids. */
  public Map<String, Task> tasks(Collection<String> ids) {
    Map<String, Task> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT doc::text FROM tasks WHERE task_id = ANY(:ids)")
                .bindArray("ids", String.class, ids)
                .mapTo(String.class)
                .forEach(
                    doc -> {
                      Task t = readTask(doc);
                      out.put(t.taskId(), t);
                    }));
    return out;
  }

  /** {@code mesh.plans.list}: oldest first, as summaries. */
  public List<Summary> list(
      @Nullable String status, @Nullable String parentTaskId, Instant now, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT doc::text FROM plans
                    WHERE (CAST(:status AS text) IS NULL OR status = :status)
                      AND (CAST(:parent AS text) IS NULL OR parent_task_id = :parent)
                    ORDER BY created_at, plan_id LIMIT :limit
                    """)
                .bind("status", status)
                .bind("parent", parentTaskId)
                .bind("limit", limit)
                .mapTo(String.class)
                .map(doc -> summary(PlanProjector.read(doc), now))
                .list());
  }

  /**
   * The reference's summary. {@code duration_ms} runs from creation to completion (or to now while
   * the plan is open).
   */
  static Summary summary(Plan p, Instant now) {
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byMode = new TreeMap<>();
    for (Subtask s : p.subtasks()) {
      byStatus.merge(s.status().wire(), 1, Integer::sum);
      byMode.merge(s.delegation().mode(), 1, Integer::sum);
    }
    Instant end = p.completedAt() != null ? p.completedAt() : now;
    return new Summary(
        p.planId(),
        p.parentTaskId(),
        p.title(),
        p.status().wire(),
        p.subtasks().size(),
        byStatus,
        byMode,
        p.estimatedWaves(),
        p.totalBudgetMinutes(),
        Math.max(0, Duration.between(p.createdAt(), end).toMillis()));
  }

  static Task readTask(String doc) {
    try {
      return Json.mapper().readValue(doc, Task.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable task row: " + e.getOriginalMessage(), e);
    }
  }
}
