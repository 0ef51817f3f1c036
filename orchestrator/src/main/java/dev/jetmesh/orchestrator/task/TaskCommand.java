package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.TaskSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What may be asked of a task, validated and normalised. Imperative names. */
public sealed interface TaskCommand {
  String taskId();

  /**
   * Who sends a worker command. Both fields null: a legacy client such as the reference agent,
   * accepted but unfenced unless {@code strict}.
   *
   * @param strict the orchestrator runs strict claims ({@code MESH_STRICT_CLAIMS}, the default): a
   *     command without both {@code node_id} and {@code claim_token} is refused
   */
  record Fence(@Nullable String nodeId, @Nullable Long claimToken, boolean strict) {
    public static final Fence LEGACY = new Fence(null, null);

    /** A fence under the compatible (non-strict) rules. */
    public Fence(@Nullable String nodeId, @Nullable Long claimToken) {
      this(nodeId, claimToken, false);
    }
  }

  record SubmitTask(TaskSpec spec) implements TaskCommand {
    @Override
    public String taskId() {
      return spec.taskId();
    }
  }

  record ClaimTask(String taskId, String nodeId) implements TaskCommand {}

  record StartTask(String taskId, Fence fence) implements TaskCommand {}

  record RecordAttempt(String taskId, Attempt attempt, Fence fence) implements TaskCommand {}

  record CompleteTask(String taskId, @Nullable JsonNode result, Fence fence)
      implements TaskCommand {}

  record FailTask(
      String taskId, @Nullable String reason, @Nullable List<Attempt> attempts, Fence fence)
      implements TaskCommand {}

  record ReleaseTask(
      String taskId, @Nullable String reason, @Nullable List<Attempt> attempts, Fence fence)
      implements TaskCommand {}

  record CancelTask(String taskId, @Nullable String reason, String actor) implements TaskCommand {}

  /**
   * The node holding the task was removed: send the task back to the queue, if that node still
   * holds it.
   *
   * @param by who removed the node
   */
  record RequeueTask(String taskId, String nodeId, String by, @Nullable String reason)
      implements TaskCommand {}

  /**
   * A plan was created for this queued task: take it out of the claim queue (tag {@code
   * plan-parent}) so that its plan, not a worker, does its work.
   */
  record HoldForPlan(String taskId, String planId) implements TaskCommand {}

  /** The budget timer's decision: fail a task held past its deadline. */
  record ExceedBudget(String taskId) implements TaskCommand {}

  /** The stall timer's decision, after a failed alive check. */
  record ReleaseStalled(String taskId, long silentMinutes, long thresholdMinutes)
      implements TaskCommand {}

  /**
   * An aggregate that did a task's work (a plan, a collaboration session) settles it, whatever its
   * state short of terminal, in ONE append: a queued parent or one a node holds is completed,
   * failed or released too, since the plan or session did the work. (Claiming it first and then
   * settling it would be two appends, and a worker could release it in between.)
   *
   * @param by who settles, e.g. {@code plan:<id>} or {@code collab:<session_id>}
   * @param reason for fail and release; null for complete
   * @param attempts recorded before the outcome, in the same append (a session's rounds)
   */
  record Settle(
      String taskId,
      String by,
      Outcome outcome,
      @Nullable String reason,
      @Nullable JsonNode result,
      List<Attempt> attempts)
      implements TaskCommand {
    public Settle {
      attempts = List.copyOf(attempts);
    }

    /** How the task ends. */
    public enum Outcome {
      COMPLETE,
      FAIL,
      RELEASE
    }
  }
}
