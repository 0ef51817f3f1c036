package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.collab.CollabCommand.AbortForParent;
import dev.jetmesh.orchestrator.collab.CollabCommand.CastCoordinatorVote;
import dev.jetmesh.orchestrator.collab.CollabCommand.CreateSession;
import dev.jetmesh.orchestrator.collab.CollabCommand.JoinSession;
import dev.jetmesh.orchestrator.collab.CollabCommand.LeaveSession;
import dev.jetmesh.orchestrator.collab.CollabCommand.SubmitReflection;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.CollabEvent.NodeJoined;
import dev.jetmesh.schema.events.CollabEvent.NodeLeft;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.ConvergenceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides collab commands: a pure function of the session (null when absent), the command and the
 * time. The reference's error strings are kept exactly (REFERENCE.md section 1); the guards it
 * lacks (membership, the round, one reflection per node and round, the turn, the coordinator) have
 * their own messages, listed in docs/api.md.
 */
public final class CollabDecider {
  private CollabDecider() {}

  public static Decision<CollabEvent> decide(
      @Nullable CollabSession s, CollabCommand c, Instant now) {
    return switch (c) {
      case CreateSession x -> create(s, x);
      case JoinSession x -> join(s, x, now);
      case LeaveSession x -> leave(s, x);
      case SubmitReflection x -> reflect(s, x);
      case CastCoordinatorVote x -> vote(s, x);
      case AbortForParent x ->
          s == null || s.terminal()
              ? Decision.accept()
              : Decision.accept(new SessionAborted("parent_task", x.message()));
    };
  }

  private static Decision<CollabEvent> create(@Nullable CollabSession s, CreateSession c) {
    if (s != null) {
      return Decision.reject(
          ErrorCode.ALREADY_EXISTS,
          "Session already exists for task " + c.taskId() + ": " + s.sessionId());
    }
    return Decision.accept(
        new SessionCreated(
            c.sessionId(), c.taskId(), c.taskTitle(), c.taskScope(), c.spec(), c.budgetUsd()));
  }

  private static Decision<CollabEvent> join(@Nullable CollabSession s, JoinSession c, Instant now) {
    String cannot = "Cannot join " + c.sessionId() + ": full, closed, or already joined";
    if (s == null) {
      // The reference's words, but the code says what a program must know: there is no session.
      return Decision.reject(ErrorCode.NOT_FOUND, cannot);
    }
    if (joinRefusal(s, c.nodeId()) != null) {
      return Decision.reject(ErrorCode.CONFLICT, cannot);
    }
    Instant deadline =
        s.recruitingDeadline() != null ? s.recruitingDeadline() : now.plusSeconds(s.joinWindowS());
    // Only the join itself: closing recruiting when max_nodes joined is the reactor's decision.
    // Appending it here too raced with the reactor (events are appended one at a time), and the
    // loser's retry refused the join ("already joined") although the node had joined.
    return Decision.accept(
        new NodeJoined(c.nodeId(), c.role() == null ? "worker" : c.role(), deadline));
  }

  /**
   * Why {@code nodeId} may not join {@code s} now, or null when it may: the session must be
   * recruiting, not full, and the node not a member yet. The wire's refusal keeps the reference's
   * one message for all three; a claim of the session's task asks too ({@link CollabClaimGuard}).
   */
  static @Nullable String joinRefusal(CollabSession s, String nodeId) {
    if (!"recruiting".equals(s.status())) {
      return "it is " + s.status();
    }
    if (s.maxNodes() != null && s.nodes().size() >= s.maxNodes()) {
      return "it is full (" + s.nodes().size() + " of " + s.maxNodes() + " nodes)";
    }
    return s.node(nodeId) == null ? null : nodeId + " is a member already";
  }

  private static Decision<CollabEvent> leave(@Nullable CollabSession s, LeaveSession c) {
    if (s == null) {
      return Decision.reject(ErrorCode.NOT_FOUND, "Session " + c.sessionId() + " not found");
    }
    if (s.node(c.nodeId()) == null || s.terminal()) {
      return Decision.accept();
    }
    List<CollabEvent> out = new ArrayList<>();
    out.add(new NodeLeft(c.nodeId(), c.reason()));
    int left = s.nodes().size() - 1;
    if ("active".equals(s.status()) && left < s.minNodes()) {
      out.add(
          new SessionAborted("below_min_nodes", "Below min_nodes: " + left + " < " + s.minNodes()));
    }
    return Decision.accept(out);
  }

  private static Decision<CollabEvent> reflect(@Nullable CollabSession s, SubmitReflection c) {
    String node = c.reflection().nodeId();
    String cannot = "Cannot submit reflection to " + c.sessionId();
    if (s == null || !"active".equals(s.status()) || s.round() == null) {
      return Decision.reject(ErrorCode.CONFLICT, cannot);
    }
    CollabRound r = s.round();
    CollabNode member = s.node(node);
    if (member == null) {
      return Decision.reject(
          ErrorCode.NOT_OWNER, "Node " + node + " is not a member of session " + c.sessionId());
    }
    if (member.dead()) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Node "
              + node
              + " was marked dead in session "
              + c.sessionId()
              + ": rejoin a new session");
    }
    if (c.round() != null && c.round() != r.roundNumber()) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Reflection for round "
              + c.round()
              + ", but session "
              + c.sessionId()
              + " is in round "
              + r.roundNumber());
    }
    if (r.outcome() != null || r.reflectionOf(node) != null) {
      return Decision.reject(ErrorCode.CONFLICT, cannot);
    }
    if (s.mode() == CollabMode.SEQUENTIAL && !node.equals(s.currentTurn())) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Not your turn: round "
              + r.roundNumber()
              + " of session "
              + c.sessionId()
              + " is at node "
              + s.currentTurn());
    }
    // Only the reflection: passing the sequential turn is the reactor's decision (see join).
    return Decision.accept(new ReflectionSubmitted(r.roundNumber(), c.reflection()));
  }

  /**
   * The coordinator: the spec's {@code convergence.coordinator}, else the first live member (in
   * join order), null when there is none. A member marked dead can no longer vote, so the seat
   * passes to the next live member at once rather than leave the round waiting for its timeout.
   */
  public static @Nullable String coordinatorOf(CollabSession s) {
    if (s.convergence().coordinator() != null) {
      return s.convergence().coordinator();
    }
    List<CollabNode> live = s.liveNodes();
    return live.isEmpty() ? null : live.get(0).nodeId();
  }

  private static Decision<CollabEvent> vote(@Nullable CollabSession s, CastCoordinatorVote c) {
    if (s == null) {
      return Decision.reject(ErrorCode.NOT_FOUND, "Session " + c.sessionId() + " not found");
    }
    if (s.convergence().type() != ConvergenceType.COORDINATOR) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Session " + c.sessionId() + " does not use coordinator convergence");
    }
    String coordinator = coordinatorOf(s);
    if (!c.nodeId().equals(coordinator)) {
      return Decision.reject(
          ErrorCode.NOT_OWNER,
          "Node "
              + c.nodeId()
              + " is not the coordinator of session "
              + c.sessionId()
              + " (coordinator: "
              + (coordinator == null ? "none" : coordinator)
              + ")");
    }
    CollabRound r = s.round();
    if (!"active".equals(s.status()) || r == null || r.outcome() != null) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Session " + c.sessionId() + " has no open round to vote on");
    }
    if (c.round() != null && c.round() != r.roundNumber()) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Vote for round "
              + c.round()
              + ", but session "
              + c.sessionId()
              + " is in round "
              + r.roundNumber());
    }
    if (r.coordinatorVote() != null) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Coordinator already voted in round " + r.roundNumber() + " of session " + c.sessionId());
    }
    return Decision.accept(new CoordinatorVoted(r.roundNumber(), c.nodeId(), c.vote(), c.reason()));
  }
}
