package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.NodeMarkedDead;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.RoundEvaluated;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionConverged;
import dev.jetmesh.schema.events.CollabEvent.TurnAdvanced;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.Spend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The session's next decision ({@link #step}), as a pure function of its state, the time and the
 * settings passed in: closing recruiting, starting a round (and its timeout), marking silent or
 * timed-out members dead, passing the sequential turn, and evaluating a round once everyone has
 * reflected. REFERENCE.md section 4 with section 8 fixed. The parts live next to it: the vote count
 * in {@link VoteTally}, convergence in {@link Convergence}, scopes in {@link Scopes}, the intel
 * text in {@link RoundIntel}, the result and the parent's fate in {@link SessionResult}. Used by
 * the reactor and the replay alike.
 */
public final class CollabRules {
  private CollabRules() {}

  /**
   * The next decision for a session, or an empty list when there is none now.
   *
   * @param unresponsive members that did not answer the alive check
   * @param defaultTimeout the round timeout of a session whose spec has none ({@code
   *     MESH_COLLAB_ROUND_TIMEOUT_SECONDS})
   */
  public static List<CollabEvent> step(
      CollabSession s, Instant now, Set<String> unresponsive, Duration defaultTimeout) {
    return switch (s.status()) {
      case "recruiting" -> recruiting(s, now, defaultTimeout);
      case "converged" -> List.of(SessionResult.complete(s, false));
      case "active" -> active(s, now, unresponsive, defaultTimeout);
      default -> List.of();
    };
  }

  /** Recruiting closes when {@code max_nodes} joined or the join window passed. */
  private static List<CollabEvent> recruiting(
      CollabSession s, Instant now, Duration defaultTimeout) {
    if (s.maxNodes() != null && s.nodes().size() >= s.maxNodes()) {
      return closeRecruiting(s, "max_nodes", defaultTimeout);
    }
    if (s.recruitingDeadline() != null && !now.isBefore(s.recruitingDeadline())) {
      return closeRecruiting(s, "join_window", defaultTimeout);
    }
    return List.of();
  }

  /** Closing recruiting: round 1, or an abort when too few joined. */
  static List<CollabEvent> closeRecruiting(
      CollabSession s, String reason, Duration defaultTimeout) {
    List<CollabEvent> out = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    s.nodes().forEach(n -> ids.add(n.nodeId()));
    out.add(new RecruitingClosed(reason, ids));
    if (s.nodes().size() < s.minNodes()) {
      out.add(
          new SessionAborted(
              "recruit_failed", "Not enough nodes: " + s.nodes().size() + " < " + s.minNodes()));
    } else {
      out.addAll(startRound(s, defaultTimeout));
    }
    return out;
  }

  /**
   * Starting the next round (4.2), or aborting when too few live nodes remain, or when the rounds
   * so far have spent the task's {@code budget_usd} (the next round would start over budget). The
   * round's timeout is the spec's, else {@code defaultTimeout}, and is recorded in the event.
   */
  static List<CollabEvent> startRound(CollabSession s, Duration defaultTimeout) {
    Spend spent = SessionResult.spent(s);
    if (spent.reaches(s.budgetUsd())) {
      return List.of(
          new SessionAborted(
              Spend.BUDGET_EXCEEDED,
              "Collab aborted: "
                  + spent.exceededText(
                      Objects.requireNonNull(s.budgetUsd(), "a budget was reached"))));
    }
    List<CollabNode> live = s.liveNodes();
    if (live.size() < s.minNodes()) {
      return List.of(
          new SessionAborted(
              "insufficient_nodes",
              "Collab aborted: too few active nodes (" + live.size() + " < " + s.minNodes() + ")"));
    }
    List<CollabAssignment> a = Scopes.assign(live, s.mode(), s.scopeStrategy(), s.taskScope());
    List<String> order = new ArrayList<>();
    if (s.mode() == CollabMode.SEQUENTIAL) {
      for (String id : s.turnOrder()) {
        if (live.stream().anyMatch(n -> n.nodeId().equals(id))) {
          order.add(id);
        }
      }
    }
    Duration timeout =
        s.roundTimeoutS() != null ? Duration.ofSeconds(s.roundTimeoutS()) : defaultTimeout;
    return List.of(
        new RoundStarted(
            s.currentRound() + 1,
            RoundIntel.intel(s.round()),
            a,
            order,
            order.isEmpty() ? null : order.get(0),
            timeout.toMillis()));
  }

  private static List<CollabEvent> active(
      CollabSession s, Instant now, Set<String> unresponsive, Duration defaultTimeout) {
    CollabRound r = s.round();
    if (r == null) {
      return startRound(s, defaultTimeout);
    }
    if (r.outcome() != null) {
      return switch (r.outcome()) {
        case Convergence.CONVERGED ->
            List.of(new SessionConverged(r.roundNumber()), SessionResult.complete(s, false));
        case Convergence.MAX_ROUNDS -> List.of(SessionResult.complete(s, true));
        default -> startRound(s, defaultTimeout);
      };
    }
    boolean timedOut = !now.isBefore(deadline(s, r));
    List<CollabEvent> dead = dead(s, r, unresponsive, timedOut);
    if (!dead.isEmpty()) {
      return dead;
    }
    if (s.mode() == CollabMode.SEQUENTIAL) {
      String next = nextTurn(s, r);
      if (!Objects.equals(next, s.currentTurn())) {
        return List.of(
            new TurnAdvanced(
                r.roundNumber(),
                s.currentTurn(),
                next,
                next == null ? null : RoundIntel.intelFor(s, r)));
      }
    }
    boolean everyoneReflected =
        s.liveNodes().stream().allMatch(n -> r.reflectionOf(n.nodeId()) != null);
    if (!everyoneReflected
        || Convergence.awaitsCoordinator(
            s.convergence(), r, CollabDecider.coordinatorOf(s), timedOut)) {
      return List.of();
    }
    return List.of(evaluate(s, r, timedOut));
  }

  /**
   * Members that should be working and have not reflected, marked dead: those that did not answer
   * the alive check, and all of them once the round (sequential: the turn) timed out.
   */
  private static List<CollabEvent> dead(
      CollabSession s, CollabRound r, Set<String> unresponsive, boolean timedOut) {
    List<CollabEvent> dead = new ArrayList<>();
    for (CollabNode n : s.liveNodes()) {
      if (r.reflectionOf(n.nodeId()) != null) {
        continue;
      }
      boolean working = s.mode() != CollabMode.SEQUENTIAL || n.nodeId().equals(s.currentTurn());
      if (working && unresponsive.contains(n.nodeId())) {
        dead.add(new NodeMarkedDead(n.nodeId(), r.roundNumber(), "alive check failed"));
      } else if (timedOut && working) {
        dead.add(new NodeMarkedDead(n.nodeId(), r.roundNumber(), "round timeout"));
      }
    }
    return dead;
  }

  /** The round's tally, whether it converged under the session's rule, and what follows. */
  private static RoundEvaluated evaluate(CollabSession s, CollabRound r, boolean timedOut) {
    CollabTally t = VoteTally.of(r, s.convergence().scoreDirection());
    boolean converged = Convergence.converged(s.convergence(), t);
    String outcome = Convergence.outcome(converged, r.roundNumber(), s.maxRounds());
    return new RoundEvaluated(r.roundNumber(), s.convergence(), t, converged, outcome, timedOut);
  }

  /** The first live node in the round's turn order that has not reflected yet, or null. */
  static @Nullable String nextTurn(CollabSession s, CollabRound round) {
    for (String id : round.turnOrder()) {
      CollabNode n = s.node(id);
      if (n != null && !n.dead() && round.reflectionOf(id) == null) {
        return id;
      }
    }
    return null;
  }

  /**
   * When the open round (in sequential mode: the current turn) times out. A sequential turn gets
   * the whole round timeout, counted from the round's start or the last reflection.
   */
  public static Instant deadline(CollabSession s, CollabRound r) {
    if (s.mode() != CollabMode.SEQUENTIAL || r.reflections().isEmpty()) {
      return r.deadline();
    }
    Duration timeout = Duration.between(r.startedAt(), r.deadline());
    Instant last = r.reflections().get(r.reflections().size() - 1).submittedAt();
    return (last.isAfter(r.startedAt()) ? last : r.startedAt()).plus(timeout);
  }
}
