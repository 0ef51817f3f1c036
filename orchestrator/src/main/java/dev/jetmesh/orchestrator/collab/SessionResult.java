package dev.jetmesh.orchestrator.collab;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.CollabEvent.SessionCompleted;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Spend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a session ends for its parent task (REFERENCE.md sections 4.7 and 4.8): the result a
 * completed session hands over, and what an ended session makes of the parent. Stateless.
 */
public final class SessionResult {
  private SessionResult() {}

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

  /** What the reflections of every round have cost: known costs summed, unknown ones counted. */
  public static Spend spent(CollabSession s) {
    Spend spent = Spend.NONE;
    for (CollabRound r : s.rounds()) {
      for (CollabReflection x : r.reflections()) {
        spent = spent.plus(x.costUsd());
      }
    }
    return spent;
  }

  /**
   * The session's rounds as attempts of its parent task, recorded when the session settles it, so
   * that a collaboration task's attempts say what each round scored and cost like a solo task's:
   * the round number, {@code keep} when it converged, {@code metric_passed} when every valid
   * reflection reported a pass (null when none reported), the round's best score, and the known
   * cost of its reflections (null when none reported one).
   */
  public static List<Attempt> roundAttempts(CollabSession s) {
    List<Attempt> out = new ArrayList<>();
    MetricDirection d = s.convergence().scoreDirection();
    for (CollabRound r : s.rounds()) {
      CollabTally t = VoteTally.of(r, d);
      Spend cost = Spend.NONE;
      for (CollabReflection x : r.reflections()) {
        cost = cost.plus(x.costUsd());
      }
      boolean costKnown = cost.unknown() < r.reflections().size();
      boolean metricReported = t.metricPassed() + t.metricFailed() > 0;
      out.add(
          new Attempt(
              "Collaboration round " + r.roundNumber() + " of " + s.sessionId(),
              r.reflections().size()
                  + " reflections, "
                  + (r.outcome() == null ? "open" : r.outcome()),
              Convergence.CONVERGED.equals(r.outcome()),
              null,
              r.roundNumber(),
              null,
              null,
              null,
              null,
              metricReported ? t.metricFailed() == 0 : null,
              t.bestScore(),
              r.completedAt() == null
                  ? null
                  : r.completedAt().toEpochMilli() - r.startedAt().toEpochMilli(),
              costKnown ? cost.knownUsd() : null,
              null,
              null));
    }
    return out;
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
    // Decided on the abort's kind (the event's reason code), never on its message text.
    String m = s.abortReason();
    return switch (s.abortKind() == null ? "" : s.abortKind()) {
      case "parent_task" -> ParentAction.NONE; // the parent ended first: nothing left to settle
      case Spend.BUDGET_EXCEEDED ->
          new ParentAction(
              "fail",
              Spend.BUDGET_EXCEEDED,
              spent(s).exceededResult(requireNonNull(s.budgetUsd(), "aborted for a budget")));
      case "recruit_failed" ->
          new ParentAction(
              "release",
              "Collab session failed to recruit: "
                  + s.nodes().size()
                  + "/"
                  + s.minNodes()
                  + " nodes",
              null);
      default ->
          new ParentAction(
              "fail", m.startsWith("Collab aborted") ? m : "Collab aborted: " + m, null);
    };
  }
}
