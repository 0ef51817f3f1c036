package dev.jetmesh.orchestrator.module;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How the aggregates that drive tasks (collaboration sessions, plans, nodes) act on them, without
 * importing the task package: aggregates meet through events and this one port. Implemented by the
 * task module. Thread-safe.
 */
public interface TaskPort {
  /** How a session or plan ends the task whose work it did. */
  enum Outcome {
    COMPLETE,
    FAIL,
    RELEASE
  }

  /** The task as this process last knew it (may lag other orchestrators), or null. */
  @Nullable Task load(String taskId);

  /** The task from its stream, current across orchestrators, or null when it does not exist. */
  @Nullable Task current(String taskId);

  /** The task as the projector last committed it, or null when it is not held in memory. */
  @Nullable Task projected(String taskId);

  /**
   * Submits a task, then calls the submitted listeners; a decision taken twice with the same {@code
   * eventIdSeed} is deduplicated (null: random event ids, a client's submission).
   *
   * @throws dev.jetmesh.orchestrator.aggregate.CommandRejectedException when refused, e.g. with
   *     {@code ALREADY_EXISTS}
   */
  Task submit(TaskSpec spec, String actor, String causationId, @Nullable String eventIdSeed);

  /**
   * Settles a task, whatever its state short of terminal, in one append (see {@code Settle}).
   *
   * @param by who settles, e.g. {@code plan:<id>} or {@code collab:<session_id>}
   * @param reason for fail and release; null for complete
   * @param attempts the work that settles it, recorded first as the task's attempts (a session's
   *     rounds); may be empty
   */
  void settle(
      String taskId,
      String by,
      Outcome outcome,
      @Nullable String reason,
      @Nullable JsonNode result,
      List<Attempt> attempts,
      String actor,
      String causationId,
      String eventIdSeed);

  /**
   * Sends every task {@code nodeId} holds back to the queue ({@code task.requeued}), because the
   * node was removed. Each is decided against the task's own history and deduplicated by its claim
   * token, so asking twice, or from two orchestrators, requeues once; a task the node no longer
   * holds is left alone.
   *
   * @param by who removed the node
   * @return the ids of the tasks requeued by this call
   */
  List<String> requeueHeldBy(
      String nodeId, String by, @Nullable String reason, String actor, String causationId);

  /**
   * Makes a queued task the parent of plan {@code planId}: it gets the tag {@code plan-parent}, so
   * no worker claims it from now on ({@code task.held_for_plan}); a task with the tag already is
   * left as it is.
   *
   * @throws dev.jetmesh.orchestrator.aggregate.CommandRejectedException {@code CONFLICT} when the
   *     task is no longer queued (claimed, running or ended), {@code NOT_FOUND} when absent
   */
  void holdForPlan(String taskId, String planId, String actor, String causationId);

  /** {@link #settle} with no attempts to record. */
  default void settle(
      String taskId,
      String by,
      Outcome outcome,
      @Nullable String reason,
      @Nullable JsonNode result,
      String actor,
      String causationId,
      String eventIdSeed) {
    settle(taskId, by, outcome, reason, result, List.of(), actor, causationId, eventIdSeed);
  }

  /**
   * Calls {@code listener} after each accepted submission, on the submitter's thread: a request
   * thread for a client's, the projector's or the sweeper's thread for a plan's (so it must not
   * wait for projection). What it throws is logged, not passed on.
   */
  void onSubmitted(Consumer<Task> listener);

  /**
   * Asks {@code guard} before a node claims a task: a task it refuses for that node is passed over,
   * and the claim goes on to the next task in the queue (up to 256 passed over per claim). Asked on
   * the claimer's request thread for each candidate, under that node's lock, so it answers from
   * memory or a cache, never waiting on projection (at most on a lookup in the stream, now and
   * then). What it throws is logged, and refuses nothing.
   */
  void guardClaims(ClaimGuard guard);

  /** Another aggregate's say in a claim: whether a node may take a task now. */
  @FunctionalInterface
  interface ClaimGuard {
    /** Why {@code nodeId} may not claim {@code task} now, or null when it may. */
    @Nullable String refusal(Task task, String nodeId);
  }
}
