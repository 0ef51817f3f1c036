package dev.jetmesh.worker.run;

/** Why a run was stopped from outside the attempt loop. */
public enum StopReason {
  /** The orchestrator's stall detection gave up on the task: report nothing more. */
  STALL,
  /**
   * The orchestrator failed the task for its budget (time or money), or refused its next attempt
   * with {@code BUDGET_EXCEEDED}: report nothing more.
   */
  BUDGET_EXCEEDED,
  /** The orchestrator refused a heartbeat or report: the task is no longer this node's. */
  LOST_CLAIM,
  /** The worker is shutting down: release the task. */
  SHUTDOWN;

  /**
   * Why a run stops when the orchestrator refuses one of its task's commands: decided on the
   * refusal's code, never its text.
   */
  public static StopReason ofRefusal(dev.jetmesh.schema.ErrorCode code) {
    return code == dev.jetmesh.schema.ErrorCode.BUDGET_EXCEEDED ? BUDGET_EXCEEDED : LOST_CLAIM;
  }
}
