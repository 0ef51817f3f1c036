package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything that can happen to a collaboration session (REFERENCE.md section 4), appended to
 * {@code mesh.evt.collab.<session_id>}. Decisions (recruiting closed, round started, round
 * evaluated, converged, completed, aborted, node marked dead) are taken by the orchestrator from
 * the read model and carry what they were decided from, so that a replay can recompute them.
 */
public sealed interface CollabEvent extends MeshEvent {
  @Override
  default String aggregate() {
    return "collab";
  }

  /**
   * A session was created for a task with a collaboration spec; recruiting begins. {@code
   * budget_usd} is the task's money budget for all rounds together (null: none, and in sessions
   * created before budgets existed).
   */
  @EventType("collab.session_created")
  record SessionCreated(
      String sessionId,
      String taskId,
      String taskTitle,
      List<String> taskScope,
      CollabSpec spec,
      @Nullable BigDecimal budgetUsd)
      implements CollabEvent {
    public SessionCreated {
      Objects.requireNonNull(sessionId, "null session_id");
      Objects.requireNonNull(taskId, "null task_id");
      Objects.requireNonNull(spec, "null spec");
      taskScope = List.copyOf(taskScope);
    }
  }

  /** A node joined while recruiting; the first join sets the recruiting deadline. */
  @EventType("collab.node_joined")
  record NodeJoined(String nodeId, String role, java.time.Instant recruitingDeadline)
      implements CollabEvent {}

  /** A node left the session. */
  @EventType("collab.node_left")
  record NodeLeft(String nodeId, @Nullable String reason) implements CollabEvent {}

  /**
   * A member stopped counting: it did not answer the alive check, or it let the round time out.
   * {@code round_number} is the round it was working on (0 while recruiting).
   */
  @EventType("collab.node_marked_dead")
  record NodeMarkedDead(String nodeId, int roundNumber, String reason) implements CollabEvent {}

  /** Recruiting ended ({@code max_nodes} reached or the join window passed) with these members. */
  @EventType("collab.recruiting_closed")
  record RecruitingClosed(String reason, List<String> nodeIds) implements CollabEvent {
    public RecruitingClosed {
      nodeIds = List.copyOf(nodeIds);
    }
  }

  /**
   * A round began: the shared intelligence every node gets, each node's role and scope, in
   * sequential mode the turn order and whose turn it is, and how long the round (sequential: each
   * turn) may take: the spec's {@code round_timeout_s} or the orchestrator's default when it
   * started. {@code round_timeout_ms} is null in rounds stored before it was recorded; those take
   * the spec's timeout, else 1800 s.
   */
  @EventType("collab.round_started")
  record RoundStarted(
      int roundNumber,
      String sharedIntel,
      List<CollabAssignment> assignments,
      List<String> turnOrder,
      @Nullable String currentTurn,
      @Nullable Long roundTimeoutMs)
      implements CollabEvent {
    public RoundStarted {
      assignments = List.copyOf(assignments);
      turnOrder = List.copyOf(turnOrder);
    }
  }

  /**
   * Sequential mode: the turn passed to {@code current_turn} (null once everyone has had a turn),
   * who gets {@code shared_intel}: the round's intelligence plus the turns so far.
   */
  @EventType("collab.turn_advanced")
  record TurnAdvanced(
      int roundNumber,
      @Nullable String previousTurn,
      @Nullable String currentTurn,
      @Nullable String sharedIntel)
      implements CollabEvent {}

  /** A member's reflection on the current round, with its vote. */
  @EventType("collab.reflection_submitted")
  record ReflectionSubmitted(int roundNumber, CollabReflection reflection) implements CollabEvent {
    public ReflectionSubmitted {
      Objects.requireNonNull(reflection, "null reflection");
    }
  }

  /** The coordinator cast the deciding vote ({@code converged} or {@code continue}) for a round. */
  @EventType("collab.coordinator_voted")
  record CoordinatorVoted(int roundNumber, String nodeId, Vote vote, @Nullable String reason)
      implements CollabEvent {}

  /**
   * A round was evaluated under {@code rule}: the tally, whether it converged, and what follows
   * ({@code converged}, {@code max_rounds} or {@code next_round}). {@code timed_out}: the round
   * ended at its deadline.
   */
  @EventType("collab.round_evaluated")
  record RoundEvaluated(
      int roundNumber,
      CollabConvergence rule,
      CollabTally tally,
      boolean converged,
      String outcome,
      boolean timedOut)
      implements CollabEvent {}

  /** The session converged in {@code round_number}. */
  @EventType("collab.converged")
  record SessionConverged(int roundNumber) implements CollabEvent {}

  /**
   * The session ended with a result for the parent task: {@code {artifacts, summary, rounds_taken,
   * node_contributions[, max_rounds_reached]}}.
   */
  @EventType("collab.completed")
  record SessionCompleted(int roundsTaken, boolean maxRoundsReached, @Nullable JsonNode result)
      implements CollabEvent {
    public SessionCompleted {
      result = TaskSpec.jsonOrNull(result);
    }
  }

  /**
   * The session was aborted. {@code reason} is a code ({@code recruit_failed}, {@code
   * insufficient_nodes}, {@code below_min_nodes}, {@code parent_task}, {@code budget_exceeded});
   * {@code message} is the text.
   */
  @EventType("collab.aborted")
  record SessionAborted(String reason, String message) implements CollabEvent {}
}
