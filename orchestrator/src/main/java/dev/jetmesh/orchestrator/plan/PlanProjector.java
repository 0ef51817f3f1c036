package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.projection.TableSpec;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.Subtask;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * Applies a batch of plan events to the {@code plans} and {@code plan_subtasks} tables inside the
 * projector's transaction: loads the touched plans once, folds with {@link PlanEvolver#evolve} (the
 * command side's own function) and writes each changed plan once. Not thread-safe; one per batch.
 */
public final class PlanProjector implements Projection.Writer {
  /**
   * What this projector writes. Its timestamps all come from events, none from the clock at write
   * time, so no column is left out of a rebuild's comparison.
   *
   * <p>A rebuild defers every secondary index: this projector reads and writes by primary key, and
   * only the reactor (after a commit, which a rebuild does not run), the sweep and the read API
   * look plans up by status, parent or age, or subtasks by their task.
   */
  static final List<TableSpec> TABLES =
      List.of(
          TableSpec.of("plans", "plan_id")
              .deferringIndexes("plans_open", "plans_parent", "plans_list_order"),
          TableSpec.of("plan_subtasks", "plan_id", "subtask_id")
              .deferringIndexes("plan_subtasks_task"));

  private final List<StoredEvent> events = new ArrayList<>();
  private final Map<String, Plan> states = new LinkedHashMap<>();

  @Override
  public void add(StoredEvent e) {
    events.add(e);
  }

  /** Writes the batch through {@code h}. Throws on an event that cannot apply (poison). */
  @Override
  public void flush(Handle h) {
    if (events.isEmpty()) {
      return;
    }
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.envelope().aggregateId()));
    h.createQuery("SELECT doc::text FROM plans WHERE plan_id = ANY(:ids)")
        .bindArray("ids", String.class, ids)
        .mapTo(String.class)
        .forEach(
            doc -> {
              Plan p = read(doc);
              states.put(p.planId(), p);
            });
    for (StoredEvent e : events) {
      String id = e.envelope().aggregateId();
      states.put(id, PlanEvolver.evolve(states.get(id), e));
    }
    upsertPlans(h);
    upsertSubtasks(h);
  }

  private void upsertPlans(Handle h) {
    PreparedBatch b =
        h.prepareBatch(
            """
            INSERT INTO plans (plan_id, parent_task_id, title, status, requires_approval,
                total_subtasks, estimated_waves, total_budget_minutes, success, created_at,
                started_at, completed_at, last_seq, doc)
            VALUES (:plan_id, :parent_task_id, :title, :status, :requires_approval,
                :total_subtasks, :estimated_waves, :total_budget_minutes, :success, :created_at,
                :started_at, :completed_at, :last_seq, CAST(:doc AS jsonb))
            ON CONFLICT (plan_id) DO UPDATE SET status = excluded.status,
                success = excluded.success, started_at = excluded.started_at,
                completed_at = excluded.completed_at, last_seq = excluded.last_seq,
                doc = excluded.doc
            """);
    for (Plan p : states.values()) {
      b.bind("plan_id", p.planId())
          .bind("parent_task_id", p.parentTaskId())
          .bind("title", p.title())
          .bind("status", p.status().wire())
          .bind("requires_approval", p.requiresApproval())
          .bind("total_subtasks", p.subtasks().size())
          .bind("estimated_waves", p.estimatedWaves())
          .bind("total_budget_minutes", p.totalBudgetMinutes())
          .bind("success", p.success())
          .bind("created_at", ts(p.createdAt()))
          .bind("started_at", ts(p.startedAt()))
          .bind("completed_at", ts(p.completedAt()))
          .bind("last_seq", p.version())
          .bind("doc", write(p))
          .add();
    }
    b.execute();
  }

  private void upsertSubtasks(Handle h) {
    PreparedBatch b =
        h.prepareBatch(
            """
            INSERT INTO plan_subtasks (plan_id, subtask_id, wave, mode, status, mesh_task_id,
                depends_on)
            VALUES (:plan_id, :subtask_id, :wave, :mode, :status, :mesh_task_id, :depends_on)
            ON CONFLICT (plan_id, subtask_id) DO UPDATE SET status = excluded.status,
                mesh_task_id = excluded.mesh_task_id
            """);
    boolean any = false;
    for (Plan p : states.values()) {
      for (Subtask s : p.subtasks()) {
        b.bind("plan_id", p.planId())
            .bind("subtask_id", s.subtaskId())
            .bind("wave", s.wave())
            .bind("mode", s.delegation().mode())
            .bind("status", s.status().wire())
            .bind("mesh_task_id", s.meshTaskId())
            .bindArray("depends_on", String.class, s.dependsOn())
            .add();
        any = true;
      }
    }
    if (any) {
      b.execute();
    }
  }

  static Plan read(String doc) {
    try {
      return Json.mapper().readValue(doc, Plan.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable plan row: " + e.getOriginalMessage(), e);
    }
  }

  static String write(Plan p) {
    try {
      return Json.mapper().writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static @Nullable Timestamp ts(@Nullable Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
