package dev.jetmesh.orchestrator.collab;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
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

  /**
   * The largest result, as JSON, that a session hands its parent. It travels in {@code
   * collab.completed} and again in the parent's {@code task.completed}; both must stay under the 1
   * MiB event limit whatever the number of members and the length of their summaries.
   */
  static final int MAX_RESULT_BYTES = 384 * 1024;

  /**
   * The session's result for its parent task (4.7). When it would exceed {@link #MAX_RESULT_BYTES},
   * every member's contribution and every artifact is cut to the same length and the artifact list
   * to the same count, halving until it fits; every member stays listed, and {@code
   * artifacts_omitted} counts artifacts left out.
   */
  public static SessionCompleted complete(CollabSession s, boolean maxRounds) {
    Set<String> artifacts = new LinkedHashSet<>();
    Map<String, String> contributions = new LinkedHashMap<>();
    for (CollabRound r : s.rounds()) {
      for (CollabReflection x : r.reflections()) {
        artifacts.addAll(x.artifacts());
        contributions.put(x.nodeId(), x.summary());
      }
    }
    List<String> allArtifacts = List.copyOf(artifacts);
    ObjectNode res = result(s, maxRounds, allArtifacts, contributions, Integer.MAX_VALUE);
    int limit = Integer.MAX_VALUE;
    while (jsonBytes(res) > MAX_RESULT_BYTES && limit > 1) {
      limit = limit == Integer.MAX_VALUE ? longest(allArtifacts, contributions) / 2 : limit / 2;
      res = result(s, maxRounds, allArtifacts, contributions, limit);
    }
    return new SessionCompleted(s.currentRound(), maxRounds, res);
  }

  private static ObjectNode result(
      CollabSession s,
      boolean maxRounds,
      List<String> artifacts,
      Map<String, String> contributions,
      int limit) {
    ObjectNode res = Json.mapper().createObjectNode();
    var list = res.putArray("artifacts");
    int kept = Math.min(artifacts.size(), limit);
    for (String a : artifacts.subList(0, kept)) {
      list.add(RoundIntel.cut(a, limit));
    }
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
    ObjectNode byNode = res.putObject("node_contributions");
    contributions.forEach((node, summary) -> byNode.put(node, RoundIntel.cut(summary, limit)));
    if (maxRounds) {
      res.put("max_rounds_reached", true);
    }
    if (kept < artifacts.size()) {
      res.put("artifacts_omitted", artifacts.size() - kept);
    }
    return res;
  }

  private static int longest(List<String> artifacts, Map<String, String> contributions) {
    int n = artifacts.size();
    for (String a : artifacts) {
      n = Math.max(n, a.length());
    }
    for (String c : contributions.values()) {
      n = Math.max(n, c.length());
    }
    return n;
  }

  private static int jsonBytes(JsonNode n) {
    try {
      return Json.mapper().writeValueAsBytes(n).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a result as JSON", e);
    }
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
