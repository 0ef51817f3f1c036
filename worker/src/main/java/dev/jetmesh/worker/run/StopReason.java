package dev.jetmesh.worker.run;

/** Why a run was stopped from outside the attempt loop. */
public enum StopReason {
  /** The orchestrator's stall detection gave up on the task: report nothing more. */
  STALL,
  /** The orchestrator failed the task for its budget: report nothing more. */
  BUDGET_EXCEEDED,
  /** The orchestrator refused a heartbeat or report: the task is no longer this node's. */
  LOST_CLAIM,
  /** The worker is shutting down: release the task. */
  SHUTDOWN
}
