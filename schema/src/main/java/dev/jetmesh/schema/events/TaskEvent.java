package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.TaskSpec;
import java.time.Instant;

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
  record TaskSubmitted(TaskSpec task) implements TaskEvent {}

  /** A node took the task; it must finish by {@code budget_deadline}. */
  @EventType("task.claimed")
  record TaskClaimed(String nodeId, Instant budgetDeadline) implements TaskEvent {}

  /** Work began. */
  @EventType("task.started")
  record TaskStarted(String nodeId) implements TaskEvent {}

  /** One attempt finished, successfully or not. Attempts are appended, never replaced. */
  @EventType("task.attempt_recorded")
  record AttemptRecorded(Attempt attempt) implements TaskEvent {}

  /** The task succeeded. */
  @EventType("task.completed")
  record TaskCompleted(String nodeId, JsonNode result) implements TaskEvent {}

  /** The task failed, as reported by its owner or by a collaboration outcome. */
  @EventType("task.failed")
  record TaskFailed(String nodeId, String reason, JsonNode result) implements TaskEvent {}

  /** The owner gave the task up for human triage. Terminal; never requeued. */
  @EventType("task.released")
  record TaskReleased(String nodeId, String reason, JsonNode result) implements TaskEvent {}

  /** Somebody cancelled the task. */
  @EventType("task.cancelled")
  record TaskCancelled(String actor, String reason, JsonNode result) implements TaskEvent {}

  /** The budget timer failed the task: it was claimed longer than its budget allows. */
  @EventType("task.budget_exceeded")
  record TaskBudgetExceeded(
      String owner, long elapsedMinutes, int budgetMinutes, String reason, JsonNode result)
      implements TaskEvent {}

  /** The stall timer released the task: no heartbeat and no answer to the alive check. */
  @EventType("task.stalled")
  record TaskStalled(
      String owner, long silentMinutes, long thresholdMinutes, String reason, JsonNode result)
      implements TaskEvent {}
}
