package dev.jetmesh.orchestrator.collab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.NodeMarkedDead;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.RoundEvaluated;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCompleted;
import dev.jetmesh.schema.events.CollabEvent.SessionConverged;
import dev.jetmesh.schema.events.CollabEvent.TurnAdvanced;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabTally;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The collaboration rules of REFERENCE.md section 4 with section 8 fixed, as pure functions of a
 * session's state and the time: scopes, intel text, the tally and convergence, and {@link #step},
 * the next decision a reactor takes. Used by the command side, the reactor and the replay alike.
 */
public final class CollabRules {
  public static final String FIRST_ROUND_INTEL = "(First round — no prior intelligence.)";

  private CollabRules() {}

  // ---- scopes (4.3) ------------------------------------------------------------------------

  /** Each live node's role and scope for a round, in join order. */
  public static List<CollabAssignment> assignments(
      List<CollabNode> live, String mode, String strategy, List<String> scope) {
    List<CollabAssignment> out = new ArrayList<>();
    boolean leaderOnly = "leader_only".equals(strategy) || "review".equals(mode);
    for (int i = 0; i < live.size(); i++) {
      CollabNode n = live.get(i);
      if (leaderOnly) {
        if (i == 0) {
          out.add(
              new CollabAssignment(n.nodeId(), "leader", scope.isEmpty() ? List.of("*") : scope));
        } else {
          List<String> ro = new ArrayList<>();
          for (String p : scope.isEmpty() ? List.of("*") : scope) {
            ro.add("[REVIEW-ONLY] " + p);
          }
          out.add(new CollabAssignment(n.nodeId(), "reviewer", ro));
        }
      } else if ("partitioned".equals(strategy) && !scope.isEmpty()) {
        List<String> mine = new ArrayList<>();
        for (int p = 0; p < scope.size(); p++) {
          if (p % live.size() == i) {
            mine.add(scope.get(p));
          }
        }
        out.add(
            new CollabAssignment(
                n.nodeId(), n.role(), mine.isEmpty() ? List.of("[NO-SCOPE-ASSIGNED]") : mine));
      } else {
        out.add(new CollabAssignment(n.nodeId(), n.role(), scope.isEmpty() ? List.of("*") : scope));
      }
    }
    return out;
  }

  // ---- intel (4.5) -------------------------------------------------------------------------

  /** The shared intelligence of round {@code next}, from the round before it (null for round 1). */
  public static String intel(@Nullable CollabRound previous) {
    if (previous == null) {
      return "";
    }
    if (previous.reflections().isEmpty()) {
      return FIRST_ROUND_INTEL;
    }
    List<String> lines = new ArrayList<>();
    lines.add("=== ROUND " + previous.roundNumber() + " SHARED INTELLIGENCE ===");
    lines.add("");
    int converged = 0;
    for (CollabReflection r : previous.reflections()) {
      lines.add("## Node: " + r.nodeId() + (r.parseFailed() ? " [REFLECTION PARSE FAILED]" : ""));
      body(lines, r);
      if ("converged".equals(r.vote())) {
        converged++;
      }
    }
    lines.add(
        "=== CONVERGENCE: "
            + converged
            + "/"
            + previous.reflections().size()
            + " voted converged. ===");
    return String.join("\n", lines);
  }

  /** Sequential mode: the round's intel plus the turns taken so far. */
  public static String turnIntel(CollabRound round) {
    List<String> lines = new ArrayList<>();
    lines.add("=== INTRA-ROUND " + round.roundNumber() + " (turns so far) ===");
    lines.add("");
    for (CollabReflection r : round.reflections()) {
      lines.add("## Turn: " + r.nodeId() + (r.parseFailed() ? " [PARSE FAILED]" : ""));
      body(lines, r);
    }
    return round.sharedIntel() + "\n\n" + String.join("\n", lines);
  }

  /** What {@code nodeId} gets as shared intel now: the turn intel once a turn has passed. */
  public static String intelFor(CollabSession s, CollabRound round) {
    if ("sequential".equals(s.mode()) && !round.reflections().isEmpty()) {
      return turnIntel(round);
    }
    return round.sharedIntel();
  }

  private static void body(List<String> lines, CollabReflection r) {
    if (!r.summary().isEmpty()) {
      lines.add("Summary: " + r.summary());
    }
    if (!r.learnings().isEmpty()) {
      lines.add("Learnings: " + r.learnings());
    }
    if (!r.artifacts().isEmpty()) {
      lines.add("Artifacts: " + String.join(", ", r.artifacts()));
    }
    lines.add("Confidence: " + number(r.confidence()) + " | Vote: " + r.vote());
    lines.add("");
  }

  /** A number as JavaScript prints it: 1, 0.5, 0.75. */
  static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  // ---- convergence (4.6) -------------------------------------------------------------------

  public static CollabTally tally(CollabRound round) {
    int valid = 0;
    int conv = 0;
    int cont = 0;
    int blocked = 0;
    int failed = 0;
    int passed = 0;
    int metricFailed = 0;
    for (CollabReflection r : round.reflections()) {
      if (r.parseFailed()) {
        failed++;
        continue;
      }
      valid++;
      switch (r.vote()) {
        case "converged" -> conv++;
        case "blocked" -> blocked++;
        default -> cont++;
      }
      if (Boolean.TRUE.equals(r.metricPassed())) {
        passed++;
      } else if (Boolean.FALSE.equals(r.metricPassed())) {
        metricFailed++;
      }
    }
    return new CollabTally(
        round.reflections().size(),
        valid,
        conv,
        cont,
        blocked,
        failed,
        passed,
        metricFailed,
        round.coordinatorVote());
  }

  /**
   * Whether a round with {@code t} converged under {@code rule}. Every type needs a reflection and
   * {@code min_quorum} valid votes; parse failures never count as votes.
   */
  public static boolean converged(CollabConvergence rule, CollabTally t) {
    if (t.reflections() < 1 || t.valid() < rule.minQuorum()) {
      return false;
    }
    return switch (rule.type()) {
      case "unanimous" -> t.parseFailed() == 0 && t.valid() > 0 && t.convergedVotes() == t.valid();
      case "majority" ->
          t.valid() > 0 && (double) t.convergedVotes() / t.valid() >= rule.threshold();
      case "coordinator" -> "converged".equals(t.coordinatorVote());
      case "metric" -> t.metricPassed() >= 1 && t.metricPassed() == t.valid();
      default -> false;
    };
  }

  /** What follows an evaluation. */
  public static String outcome(boolean converged, int round, int maxRounds) {
    if (converged) {
      return "converged";
    }
    return round >= maxRounds ? "max_rounds" : "next_round";
  }

  // ---- decisions ---------------------------------------------------------------------------

  /** The first live node in the round's turn order that has not reflected yet, or null. */
  public static @Nullable String nextTurn(CollabSession s, CollabRound round) {
    for (String id : round.turnOrder()) {
      CollabNode n = s.node(id);
      if (n != null && !n.dead() && round.reflectionOf(id) == null) {
        return id;
      }
    }
    return null;
  }

  /** Closing recruiting: round 1, or an abort when too few joined. */
  public static List<CollabEvent> closeRecruiting(CollabSession s, String reason) {
    List<CollabEvent> out = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    s.nodes().forEach(n -> ids.add(n.nodeId()));
    out.add(new RecruitingClosed(reason, ids));
    if (s.nodes().size() < s.minNodes()) {
      out.add(
          new SessionAborted(
              "recruit_failed", "Not enough nodes: " + s.nodes().size() + " < " + s.minNodes()));
    } else {
      out.addAll(startRound(s));
    }
    return out;
  }

  /** Starting the next round (4.2), or aborting when too few live nodes remain. */
  public static List<CollabEvent> startRound(CollabSession s) {
    List<CollabNode> live = s.liveNodes();
    if (live.size() < s.minNodes()) {
      return List.of(
          new SessionAborted(
              "insufficient_nodes",
              "Collab aborted: too few active nodes (" + live.size() + " < " + s.minNodes() + ")"));
    }
    int n = s.currentRound() + 1;
    String intel = intel(s.round());
    List<CollabAssignment> a = assignments(live, s.mode(), s.scopeStrategy(), s.taskScope());
    List<String> order = new ArrayList<>();
    if ("sequential".equals(s.mode())) {
      Set<String> liveIds = new LinkedHashSet<>();
      live.forEach(x -> liveIds.add(x.nodeId()));
      for (String id : s.turnOrder()) {
        if (liveIds.contains(id)) {
          order.add(id);
        }
      }
    }
    return List.of(new RoundStarted(n, intel, a, order, order.isEmpty() ? null : order.get(0)));
  }

  /**
   * The next decision for a session, or an empty list when there is none now. {@code unresponsive}:
   * members that did not answer the alive check.
   */
  public static List<CollabEvent> step(CollabSession s, Instant now, Set<String> unresponsive) {
    return switch (s.status()) {
      case "recruiting" -> {
        if (s.maxNodes() != null && s.nodes().size() >= s.maxNodes()) {
          yield closeRecruiting(s, "max_nodes");
        }
        if (s.recruitingDeadline() != null && !now.isBefore(s.recruitingDeadline())) {
          yield closeRecruiting(s, "join_window");
        }
        yield List.of();
      }
      case "converged" -> List.of(complete(s, false));
      case "active" -> active(s, now, unresponsive);
      default -> List.of();
    };
  }

  private static List<CollabEvent> active(CollabSession s, Instant now, Set<String> unresponsive) {
    CollabRound r = s.round();
    if (r == null) {
      return startRound(s);
    }
    if (r.outcome() != null) {
      return switch (r.outcome()) {
        case "converged" -> List.of(new SessionConverged(r.roundNumber()), complete(s, false));
        case "max_rounds" -> List.of(complete(s, true));
        default -> startRound(s);
      };
    }
    boolean sequential = "sequential".equals(s.mode());
    boolean timedOut = !now.isBefore(deadline(s, r));
    List<CollabEvent> dead = new ArrayList<>();
    for (CollabNode n : s.liveNodes()) {
      if (r.reflectionOf(n.nodeId()) != null) {
        continue;
      }
      boolean working = !sequential || n.nodeId().equals(s.currentTurn());
      if (working && unresponsive.contains(n.nodeId())) {
        dead.add(new NodeMarkedDead(n.nodeId(), r.roundNumber(), "alive check failed"));
      } else if (timedOut && working) {
        dead.add(new NodeMarkedDead(n.nodeId(), r.roundNumber(), "round timeout"));
      }
    }
    if (!dead.isEmpty()) {
      return dead;
    }
    if (sequential) {
      String next = nextTurn(s, r);
      if (!java.util.Objects.equals(next, s.currentTurn())) {
        return List.of(
            new TurnAdvanced(
                r.roundNumber(), s.currentTurn(), next, next == null ? null : intelFor(s, r)));
      }
    }
    for (CollabNode n : s.liveNodes()) {
      if (r.reflectionOf(n.nodeId()) == null) {
        return List.of();
      }
    }
    if ("coordinator".equals(s.convergence().type()) && r.coordinatorVote() == null && !timedOut) {
      return List.of();
    }
    CollabTally t = tally(r);
    boolean conv = converged(s.convergence(), t);
    String outcome = outcome(conv, r.roundNumber(), s.maxRounds());
    List<CollabEvent> out = new ArrayList<>();
    out.add(new RoundEvaluated(r.roundNumber(), s.convergence(), t, conv, outcome, timedOut));
    return out;
  }

  /**
   * When the open round (in sequential mode: the current turn) times out. A sequential turn gets
   * the whole round timeout, counted from the round's start or the last reflection.
   */
  public static Instant deadline(CollabSession s, CollabRound r) {
    if (!"sequential".equals(s.mode()) || r.reflections().isEmpty()) {
      return r.deadline();
    }
    Duration timeout = Duration.between(r.startedAt(), r.deadline());
    Instant last = r.reflections().get(r.reflections().size() - 1).submittedAt();
    return (last.isAfter(r.startedAt()) ? last : r.startedAt()).plus(timeout);
  }

  /** The session's result for its parent task (4.7). */
  public static SessionCompleted complete(CollabSession s, boolean maxRounds) {
    Set<String> artifacts = new LinkedHashSet<>();
    Map<String, String> contributions = new LinkedHashMap<>();
    for (CollabRound r : s.rounds()) {
      for (CollabReflection x : r.reflections()) {
        artifacts.addAll(x.artifacts());
        contributions.put(x.nodeId(), x.summary());
      }
    }
    ObjectNode res = Json.mapper().createObjectNode();
    res.set("artifacts", Json.mapper().valueToTree(artifacts));
    int rounds = s.currentRound();
    res.put(
        "summary",
        maxRounds
            ? "Max rounds ("
                + s.maxRounds()
                + ") reached. "
                + s.nodes().size()
                + " nodes participated."
            : "Converged after " + rounds + " rounds with " + s.nodes().size() + " nodes");
    res.put("rounds_taken", rounds);
    res.set("node_contributions", Json.mapper().valueToTree(contributions));
    if (maxRounds) {
      res.put("max_rounds_reached", true);
    }
    return new SessionCompleted(rounds, maxRounds, res);
  }

  /** What the parent task must become once the session is terminal. */
  public record ParentAction(String kind, @Nullable String reason, @Nullable JsonNode result) {
    public static final ParentAction NONE = new ParentAction("none", null, null);
  }

  public static ParentAction parentAction(CollabSession s) {
    if ("completed".equals(s.status())) {
      return new ParentAction("complete", null, s.result());
    }
    if (!"aborted".equals(s.status()) || s.abortReason() == null) {
      return ParentAction.NONE;
    }
    String m = s.abortReason();
    if (m.startsWith("Parent task ")) {
      return ParentAction.NONE;
    }
    if (m.startsWith("Not enough nodes")) {
      return new ParentAction(
          "release",
          "Collab session failed to recruit: " + s.nodes().size() + "/" + s.minNodes() + " nodes",
          null);
    }
    return new ParentAction(
        "fail", m.startsWith("Collab aborted") ? m : "Collab aborted: " + m, null);
  }
}
