package dev.jetmesh.orchestrator.collab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
import dev.jetmesh.orchestrator.config.CollabSettings;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.CollabEvent.NodeJoined;
import dev.jetmesh.schema.events.CollabEvent.NodeLeft;
import dev.jetmesh.schema.events.CollabEvent.NodeMarkedDead;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.RoundEvaluated;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCompleted;
import dev.jetmesh.schema.events.CollabEvent.SessionConverged;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.events.CollabEvent.TurnAdvanced;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.Vote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Folds collab events into a {@link CollabSession}. The command side, the projector and the replay
 * use this one function. It depends on nothing but the events: a round's deadline is its start (the
 * event's time) plus the timeout its {@code collab.round_started} recorded.
 */
public final class CollabEvolver {
  private CollabEvolver() {}

  /**
   * The state after {@code stored}; {@code state} is null before {@code collab.session_created}.
   */
  public static CollabSession evolve(@Nullable CollabSession state, StoredEvent stored) {
    if (!(stored.event() instanceof CollabEvent event)) {
      throw new IllegalEventException("not a collab event: " + stored.envelope().type());
    }
    Instant at = stored.envelope().occurredAt();
    if (event instanceof SessionCreated c) {
      if (state != null) {
        throw new IllegalEventException("session " + c.sessionId() + " created twice");
      }
      CollabSpec s = c.spec();
      return new CollabSession(
          c.sessionId(),
          c.taskId(),
          c.taskTitle(),
          c.taskScope(),
          s.mode(),
          s.minNodes(),
          s.maxNodes(),
          s.joinWindowS(),
          s.maxRounds(),
          s.convergence(),
          s.scopeStrategy(),
          s.roundTimeoutS(),
          c.budgetUsd(),
          "recruiting",
          List.of(),
          0,
          List.of(),
          0,
          List.of(),
          null,
          null,
          at,
          null,
          null,
          null,
          null,
          stored.seq());
    }
    if (state == null) {
      throw new IllegalEventException(
          stored.envelope().type() + " for unknown session " + stored.envelope().aggregateId());
    }
    B b = new B(state);
    b.version = stored.seq();
    switch (event) {
      case SessionCreated c -> throw new AssertionError("handled above");
      case NodeJoined j -> {
        b.nodes.add(new CollabNode(j.nodeId(), j.role(), at, "active"));
        if (b.s.mode() == CollabMode.SEQUENTIAL) {
          b.turnOrder.add(j.nodeId());
        }
        if (b.recruitingDeadline == null) {
          b.recruitingDeadline = j.recruitingDeadline();
        }
      }
      case NodeLeft l -> {
        b.nodes.removeIf(n -> n.nodeId().equals(l.nodeId()));
        b.turnOrder.remove(l.nodeId());
      }
      case NodeMarkedDead d -> b.setNodeStatus(d.nodeId(), "dead");
      case RecruitingClosed r ->
          b.recruitingDeadline = b.recruitingDeadline == null ? at : b.recruitingDeadline;
      case RoundStarted r -> {
        b.status = "active";
        b.currentRound = r.roundNumber();
        if (r.roundNumber() == 1) {
          b.recruitedCount = b.nodes.size();
        }
        b.nodes.removeIf(CollabNode::dead);
        b.nodes.replaceAll(n -> new CollabNode(n.nodeId(), n.role(), n.joinedAt(), "active"));
        if (!r.turnOrder().isEmpty()) {
          b.turnOrder = new ArrayList<>(r.turnOrder());
        }
        b.currentTurn = r.currentTurn();
        Duration timeout = roundTimeout(state, r);
        b.rounds.add(
            new CollabRound(
                r.roundNumber(),
                at,
                null,
                at.plus(timeout),
                r.sharedIntel(),
                r.assignments(),
                r.turnOrder(),
                List.of(),
                null,
                null,
                null,
                false));
      }
      case TurnAdvanced t -> b.currentTurn = t.currentTurn();
      case ReflectionSubmitted r -> {
        CollabRound cur = b.round(r.roundNumber());
        List<CollabReflection> refl = new ArrayList<>(cur.reflections());
        refl.add(r.reflection());
        b.replaceRound(
            with(
                cur,
                refl,
                cur.coordinatorVote(),
                cur.coordinatorVoter(),
                cur.completedAt(),
                cur.outcome(),
                cur.timedOut()));
        CollabNode member = b.node(r.reflection().nodeId());
        if (member != null && !member.dead()) {
          b.setNodeStatus(r.reflection().nodeId(), "reflecting");
        }
      }
      case CoordinatorVoted v -> {
        CollabRound cur = b.round(v.roundNumber());
        b.replaceRound(
            with(
                cur,
                cur.reflections(),
                v.vote(),
                v.nodeId(),
                cur.completedAt(),
                cur.outcome(),
                cur.timedOut()));
      }
      case RoundEvaluated e -> {
        CollabRound cur = b.round(e.roundNumber());
        b.replaceRound(
            with(
                cur,
                cur.reflections(),
                cur.coordinatorVote(),
                cur.coordinatorVoter(),
                at,
                e.outcome(),
                e.timedOut()));
        b.currentTurn = null;
      }
      case SessionConverged c -> b.status = "converged";
      case SessionCompleted c -> {
        b.status = "completed";
        b.result = c.result();
        b.completedAt = at;
      }
      case SessionAborted a -> {
        b.status = "aborted";
        b.abortReason = a.message();
        b.abortKind = a.reason();
        b.completedAt = at;
      }
    }
    return b.build();
  }

  /**
   * The timeout {@code r} recorded. Rounds stored before it was recorded take the spec's, else the
   * default of the time (an orchestrator with another {@code MESH_COLLAB_ROUND_TIMEOUT_SECONDS}
   * then gave them that; only sessions open across the upgrade can differ).
   */
  static Duration roundTimeout(CollabSession s, RoundStarted r) {
    if (r.roundTimeoutMs() != null) {
      return Duration.ofMillis(r.roundTimeoutMs());
    }
    return s.roundTimeoutS() != null
        ? Duration.ofSeconds(s.roundTimeoutS())
        : CollabSettings.DEFAULT_ROUND_TIMEOUT;
  }

  private static CollabRound with(
      CollabRound r,
      List<CollabReflection> reflections,
      @Nullable Vote coordinatorVote,
      @Nullable String coordinatorVoter,
      @Nullable Instant completedAt,
      @Nullable String outcome,
      boolean timedOut) {
    return new CollabRound(
        r.roundNumber(),
        r.startedAt(),
        completedAt,
        r.deadline(),
        r.sharedIntel(),
        r.assignments(),
        r.turnOrder(),
        reflections,
        coordinatorVote,
        coordinatorVoter,
        outcome,
        timedOut);
  }

  /** A mutable copy for building the next state. Never shared. */
  private static final class B {
    final CollabSession s;
    String status;
    List<CollabNode> nodes;
    int currentRound;
    List<CollabRound> rounds;
    int recruitedCount;
    List<String> turnOrder;
    @Nullable String currentTurn;
    @Nullable Instant recruitingDeadline;
    @Nullable Instant completedAt;
    @Nullable JsonNode result;
    @Nullable String abortReason;
    @Nullable String abortKind;
    long version;

    B(CollabSession s) {
      this.s = s;
      status = s.status();
      nodes = new ArrayList<>(s.nodes());
      currentRound = s.currentRound();
      rounds = new ArrayList<>(s.rounds());
      recruitedCount = s.recruitedCount();
      turnOrder = new ArrayList<>(s.turnOrder());
      currentTurn = s.currentTurn();
      recruitingDeadline = s.recruitingDeadline();
      completedAt = s.completedAt();
      result = s.result();
      abortReason = s.abortReason();
      abortKind = s.abortKind();
      version = s.version();
    }

    @Nullable CollabNode node(String id) {
      for (CollabNode n : nodes) {
        if (n.nodeId().equals(id)) {
          return n;
        }
      }
      return null;
    }

    void setNodeStatus(String id, String st) {
      nodes.replaceAll(
          n -> n.nodeId().equals(id) ? new CollabNode(n.nodeId(), n.role(), n.joinedAt(), st) : n);
    }

    CollabRound round(int number) {
      for (CollabRound r : rounds) {
        if (r.roundNumber() == number) {
          return r;
        }
      }
      throw new IllegalEventException(
          "round " + number + " of " + s.sessionId() + " never started");
    }

    void replaceRound(CollabRound r) {
      rounds.replaceAll(x -> x.roundNumber() == r.roundNumber() ? r : x);
    }

    CollabSession build() {
      CollabConvergence cv = s.convergence();
      return new CollabSession(
          s.sessionId(),
          s.taskId(),
          s.taskTitle(),
          s.taskScope(),
          s.mode(),
          s.minNodes(),
          s.maxNodes(),
          s.joinWindowS(),
          s.maxRounds(),
          cv,
          s.scopeStrategy(),
          s.roundTimeoutS(),
          s.budgetUsd(),
          status,
          nodes,
          currentRound,
          rounds,
          recruitedCount,
          turnOrder,
          currentTurn,
          recruitingDeadline,
          s.createdAt(),
          completedAt,
          result,
          abortReason,
          abortKind,
          version);
    }
  }
}
