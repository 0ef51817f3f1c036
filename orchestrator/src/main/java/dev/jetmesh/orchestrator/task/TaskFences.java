package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.task.TaskCommand.Fence;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Spend;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import org.jspecify.annotations.Nullable;

/**
 * Who may act on a held task: the fence rules every fenced command of {@link TaskDecider} (and the
 * heartbeat route) applies. Pure and stateless.
 */
final class TaskFences {
  private TaskFences() {}

  /**
   * True when a task ended (e.g. the budget timer failed it while the worker was killing its run)
   * and its last owner, fenced with the claim that ended, reports the attempt it was running. The
   * attempt is history worth keeping; it does not change the outcome. Legacy (unfenced) reports
   * after the end stay refused.
   */
  static boolean lateReportOfFinalClaim(Task t, Fence f) {
    return t.status().isTerminal()
        && f.nodeId() != null
        && f.nodeId().equals(t.owner())
        && f.claimToken() != null
        && f.claimToken().equals(t.claimToken());
  }

  /**
   * Why {@code verb} is refused for the fence, or null when it is allowed: the task must be held
   * (claimed or running); a fenced command must come from the owner with the current claim token;
   * under strict claims every command must be fenced.
   */
  static Decision.@Nullable Reject<TaskEvent> refuse(Task t, Fence fence, String verb) {
    if (t.status().isTerminal() || t.status() == TaskStatus.QUEUED) {
      return new Decision.Reject<>(
          failedForBudget(t) ? ErrorCode.BUDGET_EXCEEDED : ErrorCode.CONFLICT,
          "Task " + t.taskId() + " is " + t.status().wire() + ": cannot " + verb);
    }
    if (fence.nodeId() != null && !fence.nodeId().equals(t.owner())) {
      return new Decision.Reject<>(
          ErrorCode.NOT_OWNER,
          "Task " + t.taskId() + " is owned by " + t.owner() + ", not " + fence.nodeId());
    }
    if (fence.claimToken() != null && !fence.claimToken().equals(t.claimToken())) {
      return new Decision.Reject<>(
          ErrorCode.STALE_TOKEN,
          "Task "
              + t.taskId()
              + " was re-claimed: claim token "
              + fence.claimToken()
              + " is stale");
    }
    if (fence.strict() && (fence.nodeId() == null || fence.claimToken() == null)) {
      return new Decision.Reject<>(
          ErrorCode.NOT_OWNER,
          "Task "
              + t.taskId()
              + ": node_id and claim_token are required to "
              + verb
              + " (strict claims)");
    }
    return null;
  }

  /**
   * A task that failed with its known spend at its {@code budget_usd}: commands on it are refused
   * with {@link ErrorCode#BUDGET_EXCEEDED}, the code a worker stops on, and the same message as any
   * ended task.
   */
  private static boolean failedForBudget(Task t) {
    return t.status() == TaskStatus.FAILED && Spend.of(t.attempts()).reaches(t.budgetUsd());
  }
}
