package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.TaskSpec;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything that can happen to a task. {@code node_id} is null on events caused by a legacy
 * (unfenced) client or by the orchestrator itself.
 */
public sealed interface TaskEvent extends MeshEvent {
  @Override
  default String aggregate() {
    return "task";
  }

  /** A task entered the queue. */
  @EventType("task.submitted")
  record TaskSubmitted(TaskSpec task) implements TaskEvent {
    public TaskSubmitted {
      Objects.requireNonNull(task, "null task");
    }
  }

  /** A node took the task; it must finish by {@code budget_deadline}. */
  @EventType("task.claimed")
  record TaskClaimed(String nodeId, Instant budgetDeadline) implements TaskEvent {
    public TaskClaimed {
      Objects.requireNonNull(nodeId, "null node_id");
      Objects.requireNonNull(budgetDeadline, "null budget_deadline");
    }
  }

  /** Work began. */
  @EventType("task.started")
  record TaskStarted(@Nullable String nodeId) implements TaskEvent {}

  /** One attempt finished, successfully or not. Attempts are appended, never replaced. */
  @EventType("task.attempt_recorded")
  record AttemptRecorded(Attempt attempt) implements TaskEvent {
    public AttemptRecorded {
      Objects.requireNonNull(attempt, "null attempt");
    }
  }

  /** The task succeeded. */
  @EventType("task.completed")
  record TaskCompleted(@Nullable String nodeId, @Nullable JsonNode result) implements TaskEvent {
    public TaskCompleted {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /** The task failed, as reported by its owner or by a collaboration outcome. */
  @EventType("task.failed")
  record TaskFailed(@Nullable String nodeId, @Nullable String reason, @Nullable JsonNode result)
      implements TaskEvent {
    public TaskFailed {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /** The owner gave the task up for human triage. Terminal; never requeued. */
  @EventType("task.released")
  record TaskReleased(@Nullable String nodeId, @Nullable String reason, @Nullable JsonNode result)
      implements TaskEvent {
    public TaskReleased {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /** Somebody cancelled the task. */
  @EventType("task.cancelled")
  record TaskCancelled(@Nullable String actor, @Nullable String reason, @Nullable JsonNode result)
      implements TaskEvent {
    public TaskCancelled {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /**
   * A plan was created for this queued task, which was submitted without the tag {@code
   * plan-parent}: the tag is added, so that no worker claims it from now on, and its plan settles
   * it. Appended at most once, only while the task is queued.
   *
   * @param planId the plan created for it
   */
  @EventType("task.held_for_plan")
  record TaskHeldForPlan(String planId) implements TaskEvent {
    public TaskHeldForPlan {
      Objects.requireNonNull(planId, "null plan_id");
    }
  }

  /**
   * The task went back to the queue because the node holding it was removed from the mesh. Its
   * claim is over: the former owner's fenced commands are refused, and any node may claim it again.
   *
   * @param nodeId the node that held it
   * @param by who removed the node
   */
  @EventType("task.requeued")
  record TaskRequeued(String nodeId, String by, @Nullable String reason) implements TaskEvent {
    public TaskRequeued {
      Objects.requireNonNull(nodeId, "null node_id");
      Objects.requireNonNull(by, "null by");
    }
  }

  /** The budget timer failed the task: it was claimed longer than its budget allows. */
  @EventType("task.budget_exceeded")
  record TaskBudgetExceeded(
      @Nullable String owner,
      long elapsedMinutes,
      int budgetMinutes,
      String reason,
      @Nullable JsonNode result)
      implements TaskEvent {
    public TaskBudgetExceeded {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /** The stall timer released the task: no heartbeat and no answer to the alive check. */
  @EventType("task.stalled")
  record TaskStalled(
      @Nullable String owner,
      long silentMinutes,
      long thresholdMinutes,
      String reason,
      @Nullable JsonNode result)
      implements TaskEvent {
    public TaskStalled {
      result = TaskSpec.jsonOrNull(result);
    }
  }
}
