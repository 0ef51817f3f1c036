package dev.jetmesh.orchestrator.plan;

import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanAborted;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.PlanEvent.PlanCompleted;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.events.PlanEvent.PlanExecutionStarted;
import dev.jetmesh.schema.events.PlanEvent.PlanSubmittedForReview;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskSpec;
import dev.jetmesh.schema.model.SubtaskStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Folds plan events into a {@link Plan}. The command side, the projector and {@code jetmesh plan
 * show} use this same function, so the read model cannot disagree with what commands decide from.
 */
public final class PlanEvolver {
  private PlanEvolver() {}

  /** The state after all {@code events}, or null when there are none. */
  public static @Nullable Plan replay(List<StoredEvent> events) {
    Plan p = null;
    for (StoredEvent e : events) {
      p = evolve(p, e);
    }
    return p;
  }

  /** The state after {@code stored}; {@code state} is null before {@code plan.created}. */
  public static Plan evolve(@Nullable Plan state, StoredEvent stored) {
    if (!(stored.event() instanceof PlanEvent event)) {
      throw new IllegalEventException("not a plan event: " + stored.envelope().type());
    }
    Instant at = stored.envelope().occurredAt();
    String id = stored.envelope().aggregateId();
    if (event instanceof PlanCreated c) {
      if (state != null) {
        throw new IllegalEventException("plan " + id + " created twice");
      }
      return created(id, c, at, stored.seq());
    }
    if (state == null) {
      throw new IllegalEventException(stored.envelope().type() + " for unknown plan " + id);
    }
    Plan.Mutable m = state.toMutable();
    m.version = stored.seq();
    switch (event) {
      case PlanCreated c -> throw new AssertionError("handled above");
      case PlanSubmittedForReview r -> m.status = PlanStatus.REVIEW;
      case PlanApproved a -> {
        m.status = PlanStatus.APPROVED;
        m.approvedBy = a.approvedBy();
        m.approvedAt = at;
      }
      case PlanExecutionStarted s -> {
        m.status = PlanStatus.EXECUTING;
        m.startedAt = at;
      }
      case WaveDispatched w -> m.wavesDispatched = Math.max(m.wavesDispatched, w.wave() + 1);
      case SubtaskDispatched d ->
          m.update(d.subtaskId(), s -> s.with(SubtaskStatus.QUEUED, d.meshTaskId(), null, null));
      case SubtaskCompleted c ->
          m.update(
              c.subtaskId(),
              s -> s.with(SubtaskStatus.COMPLETED, s.meshTaskId(), c.owner(), c.result()));
      case SubtaskFailed f ->
          m.update(
              f.subtaskId(),
              s ->
                  s.with(
                      SubtaskStatus.FAILED,
                      s.meshTaskId(),
                      f.owner(),
                      f.result() != null
                          ? f.result()
                          : Plan.failure(f.reason() == null ? "failed" : f.reason())));
      case SubtaskBlocked b ->
          m.update(
              b.subtaskId(),
              s ->
                  s.with(
                      SubtaskStatus.BLOCKED, s.meshTaskId(), s.owner(), Plan.failure(b.reason())));
      case PlanCompleted c -> {
        m.status = PlanStatus.COMPLETED;
        m.success = c.success();
        m.completedAt = at;
      }
      case PlanAborted a -> {
        m.status = PlanStatus.ABORTED;
        m.abortReason = a.reason();
        m.completedAt = at;
      }
    }
    return m.build();
  }

  private static Plan created(String id, PlanCreated c, Instant at, long seq) {
    int budget = 0;
    int waves = 0;
    List<Subtask> subtasks = new java.util.ArrayList<>();
    for (SubtaskSpec s : c.subtasks()) {
      budget += s.budgetMinutes();
      waves = Math.max(waves, s.wave() + 1);
      subtasks.add(Subtask.pending(s));
    }
    return new Plan(
        id,
        c.parentTaskId(),
        c.title(),
        c.description(),
        PlanStatus.DRAFT,
        c.planner(),
        c.plannerSoul(),
        c.requiresApproval(),
        subtasks,
        budget,
        c.budgetUsd(),
        waves,
        null,
        null,
        at,
        null,
        null,
        null,
        null,
        0,
        seq);
  }
}
