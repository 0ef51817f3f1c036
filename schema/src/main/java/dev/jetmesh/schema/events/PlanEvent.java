package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.SubtaskSpec;
import dev.jetmesh.schema.model.TaskSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything that can happen to a plan (REFERENCE.md section 5), appended to {@code
 * mesh.evt.plan.<plan_id>}. The plan id is the envelope's {@code aggregate_id}.
 */
public sealed interface PlanEvent extends MeshEvent {
  @Override
  default String aggregate() {
    return "plan";
  }

  /**
   * A plan was created: its subtasks with their computed waves and routed delegations. {@code
   * budget_usd} is the money budget of all its subtasks together (null: none, and in plans created
   * before budgets existed).
   */
  @EventType("plan.created")
  record PlanCreated(
      String parentTaskId,
      String title,
      String description,
      String planner,
      @Nullable String plannerSoul,
      boolean requiresApproval,
      List<SubtaskSpec> subtasks,
      @Nullable BigDecimal budgetUsd)
      implements PlanEvent {
    public PlanCreated {
      Objects.requireNonNull(parentTaskId, "null parent_task_id");
      Objects.requireNonNull(title, "null title");
      subtasks = List.copyOf(subtasks);
    }
  }

  /** The plan needs approval and waits for {@code mesh.plans.approve}. */
  @EventType("plan.submitted_for_review")
  record PlanSubmittedForReview(int totalSubtasks, int totalBudgetMinutes) implements PlanEvent {}

  /** Somebody approved the plan. */
  @EventType("plan.approved")
  record PlanApproved(String approvedBy) implements PlanEvent {
    public PlanApproved {
      Objects.requireNonNull(approvedBy, "null approved_by");
    }
  }

  /** The plan began executing: on approval, or at creation when it needs none. */
  @EventType("plan.execution_started")
  record PlanExecutionStarted(@Nullable String startedBy) implements PlanEvent {}

  /** The reactor dispatched a wave: every subtask of it whose dependencies all completed. */
  @EventType("plan.wave_dispatched")
  record WaveDispatched(int wave, List<String> subtaskIds) implements PlanEvent {
    public WaveDispatched {
      subtaskIds = List.copyOf(subtaskIds);
    }
  }

  /**
   * One subtask was dispatched: as mesh task {@code mesh_task_id} (solo_mesh, collab_mesh), or, for
   * human/local/soul (null task id), left waiting for {@code mesh.plans.subtask.update}.
   */
  @EventType("plan.subtask_dispatched")
  record SubtaskDispatched(String subtaskId, int wave, String mode, @Nullable String meshTaskId)
      implements PlanEvent {}

  /** A subtask completed: its mesh task completed, or somebody reported it done. */
  @EventType("plan.subtask_completed")
  record SubtaskCompleted(
      String subtaskId,
      @Nullable String meshTaskId,
      @Nullable String owner,
      @Nullable JsonNode result)
      implements PlanEvent {
    public SubtaskCompleted {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /**
   * A subtask failed. {@code task_status} is how its mesh task ended (failed, released, cancelled);
   * null when somebody reported the failure through {@code mesh.plans.subtask.update}.
   */
  @EventType("plan.subtask_failed")
  record SubtaskFailed(
      String subtaskId,
      @Nullable String meshTaskId,
      @Nullable String taskStatus,
      @Nullable String owner,
      String reason,
      @Nullable JsonNode result)
      implements PlanEvent {
    public SubtaskFailed {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /**
   * A subtask can no longer run: {@code blocked_by} (a dependency, possibly transitive) failed, or
   * the plan was aborted ({@code blocked_by} null).
   */
  @EventType("plan.subtask_blocked")
  record SubtaskBlocked(String subtaskId, @Nullable String blockedBy, String reason)
      implements PlanEvent {}

  /** Every subtask finished; {@code success} is false when any failed or was blocked. */
  @EventType("plan.completed")
  record PlanCompleted(boolean success, int completed, int failed, int blocked, String summary)
      implements PlanEvent {}

  /**
   * The plan was aborted, by somebody or because its subtasks spent its {@code budget_usd} (reason
   * {@code budget_exceeded: ...}); its pending and queued subtasks are blocked with it.
   */
  @EventType("plan.aborted")
  record PlanAborted(String reason) implements PlanEvent {}
}
