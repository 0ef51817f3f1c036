package dev.jetmesh.orchestrator.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabTally;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Replays a session from its events: the timeline (joins, each round's intel and assignments,
 * reflections and votes, decisions) and, for every decision, the same decision recomputed from what
 * was recorded before it under the rule it recorded: the shared intel and assignments of each
 * round, each round's tally, convergence and outcome, and the final result. Any difference is a
 * mismatch. Pure; thread-safe.
 */
public final class CollabReplay {
  private CollabReplay() {}

  /** One recomputed decision. */
  public record Check(
      long seq, String decision, boolean match, String recorded, String recomputed) {}

  /**
   * Who voted what in one round: each member's reflection vote (in reflection order; the text of a
   * reflection that failed to parse, which never counts), the coordinator's deciding vote with its
   * voter and reason (null unless one was cast), and the round's outcome (null while open).
   */
  public record RoundVotes(
      int round,
      Map<String, String> members,
      @Nullable String coordinator,
      @Nullable String coordinatorVote,
      @Nullable String reason,
      @Nullable String outcome) {
    public RoundVotes {
      members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** One line: {@code round 2: a continue, b converged | coordinator a: converged -> ...}. */
    String line() {
      StringBuilder b = new StringBuilder("round " + round + ":");
      List<String> m = new ArrayList<>();
      members.forEach((node, vote) -> m.add(node + " " + vote));
      b.append(m.isEmpty() ? " no reflection" : " " + String.join(", ", m));
      if (coordinatorVote != null) {
        b.append(" | coordinator ").append(coordinator).append(": ").append(coordinatorVote);
        if (reason != null && !reason.isBlank()) {
          b.append(" (").append(reason.strip().replace("\n", " ")).append(')');
        }
      }
      return b.append(" -> ").append(outcome == null ? "open" : outcome).toString();
    }
  }

  /** The replay of one session. */
  public record Report(
      String sessionId,
      List<Map<String, Object>> timeline,
      List<RoundVotes> votes,
      List<Check> checks,
      int mismatches) {

    /** The report as text, one line per event, then the votes per round, mismatches flagged. */
    public String text() {
      StringBuilder sb = new StringBuilder("session " + sessionId + "\n");
      for (Map<String, Object> t : timeline) {
        sb.append(
            String.format(
                "%6s  %s  %-28s %s%n", t.get("seq"), t.get("at"), t.get("type"), t.get("detail")));
      }
      sb.append("\nvotes:\n");
      votes.forEach(v -> sb.append("  ").append(v.line()).append('\n'));
      sb.append("\ndecisions recomputed: ").append(checks.size()).append('\n');
      for (Check c : checks) {
        sb.append(
            String.format("%6d  %-24s %s%n", c.seq(), c.decision(), c.match() ? "ok" : "MISMATCH"));
        if (!c.match()) {
          sb.append("        recorded:   ").append(c.recorded()).append('\n');
          sb.append("        recomputed: ").append(c.recomputed()).append('\n');
        }
      }
      sb.append("mismatches: ").append(mismatches).append('\n');
      return sb.toString();
    }
  }

  public static Report replay(String sessionId, List<StoredEvent> events) {
    CollabSession s = null;
    List<Map<String, Object>> timeline = new ArrayList<>();
    List<Check> checks = new ArrayList<>();
    for (StoredEvent se : events) {
      CollabEvent ev = (CollabEvent) se.event();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("seq", se.seq());
      t.put("at", se.envelope().occurredAt().toString());
      t.put("type", se.envelope().type());
      t.put("actor", se.envelope().actor());
      t.put("detail", detail(ev));
      t.put("payload", ev);
      timeline.add(t);
      if (s != null) {
        check(s, se.seq(), ev, checks);
      }
      s = CollabEvolver.evolve(s, se);
    }
    int mismatches = (int) checks.stream().filter(c -> !c.match()).count();
    return new Report(sessionId, timeline, votes(events), checks, mismatches);
  }

  /** The votes of every round, from the events (the voter of each coordinator vote included). */
  static List<RoundVotes> votes(List<StoredEvent> events) {
    Map<Integer, RoundVotes> rounds = new LinkedHashMap<>();
    for (StoredEvent se : events) {
      switch ((CollabEvent) se.event()) {
        case CollabEvent.RoundStarted r ->
            rounds.put(
                r.roundNumber(), new RoundVotes(r.roundNumber(), Map.of(), null, null, null, null));
        case CollabEvent.ReflectionSubmitted r ->
            rounds.computeIfPresent(
                r.roundNumber(),
                (n, x) -> {
                  Map<String, String> m = new LinkedHashMap<>(x.members());
                  m.put(r.reflection().nodeId(), r.reflection().vote().wire());
                  return new RoundVotes(
                      n, m, x.coordinator(), x.coordinatorVote(), x.reason(), x.outcome());
                });
        case CollabEvent.CoordinatorVoted v ->
            rounds.computeIfPresent(
                v.roundNumber(),
                (n, x) ->
                    new RoundVotes(
                        n, x.members(), v.nodeId(), v.vote().wire(), v.reason(), x.outcome()));
        case CollabEvent.RoundEvaluated e ->
            rounds.computeIfPresent(
                e.roundNumber(),
                (n, x) ->
                    new RoundVotes(
                        n,
                        x.members(),
                        x.coordinator(),
                        x.coordinatorVote(),
                        x.reason(),
                        e.outcome() + (e.timedOut() ? " (timed out)" : "")));
        default -> {}
      }
    }
    return List.copyOf(rounds.values());
  }

  private static void check(CollabSession before, long seq, CollabEvent ev, List<Check> out) {
    switch (ev) {
      case CollabEvent.RoundStarted r -> {
        String intel = RoundIntel.intel(before.round());
        out.add(cmp(seq, "round " + r.roundNumber() + " intel", r.sharedIntel(), intel));
        List<CollabAssignment> a =
            Scopes.assign(
                before.liveNodes(), before.mode(), before.scopeStrategy(), before.taskScope());
        out.add(cmp(seq, "round " + r.roundNumber() + " scopes", r.assignments(), a));
      }
      case CollabEvent.RoundEvaluated e -> {
        CollabRound round = roundOf(before, e.roundNumber());
        CollabTally tally = round == null ? null : VoteTally.of(round, e.rule().scoreDirection());
        boolean conv = tally != null && Convergence.converged(e.rule(), tally);
        String outcome = Convergence.outcome(conv, e.roundNumber(), before.maxRounds());
        out.add(cmp(seq, "round " + e.roundNumber() + " tally", e.tally(), tally));
        out.add(
            cmp(
                seq,
                "round " + e.roundNumber() + " decision",
                e.converged() + "/" + e.outcome(),
                conv + "/" + outcome));
      }
      case CollabEvent.SessionCompleted c -> {
        var expected = SessionResult.complete(before, c.maxRoundsReached()).result();
        out.add(cmp(seq, "result", c.result(), expected));
      }
      default -> {}
    }
  }

  private static @Nullable CollabRound roundOf(CollabSession s, int n) {
    for (CollabRound r : s.rounds()) {
      if (r.roundNumber() == n) {
        return r;
      }
    }
    return null;
  }

  private static Check cmp(
      long seq, String what, @Nullable Object recorded, @Nullable Object recomputed) {
    return new Check(
        seq, what, Objects.equals(recorded, recomputed), shown(recorded), shown(recomputed));
  }

  /** A value of a check as a person reads it: text as is, anything else as compact JSON. */
  private static String shown(@Nullable Object v) {
    if (v == null || v instanceof String) {
      return String.valueOf(v);
    }
    try {
      return Json.mapper().writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }

  /** {@code 3 reflections (3 valid): 2 converged, 1 continue, 0 blocked; best score 0.9}. */
  static String tally(@Nullable CollabTally t) {
    if (t == null) {
      return "no tally";
    }
    StringBuilder sb =
        new StringBuilder()
            .append(t.reflections())
            .append(t.reflections() == 1 ? " reflection (" : " reflections (")
            .append(t.valid())
            .append(" valid")
            .append(t.parseFailed() > 0 ? ", " + t.parseFailed() + " parse failed" : "")
            .append("): ")
            .append(t.convergedVotes())
            .append(" converged, ")
            .append(t.continueVotes())
            .append(" continue, ")
            .append(t.blockedVotes())
            .append(" blocked");
    if (t.metricPassed() + t.metricFailed() > 0) {
      sb.append("; metric ")
          .append(t.metricPassed())
          .append(" passed, ")
          .append(t.metricFailed())
          .append(" failed");
    }
    if (t.bestScore() != null) {
      sb.append("; best score ").append(t.bestScore().toPlainString());
    }
    if (t.coordinatorVote() != null) {
      sb.append("; coordinator ").append(t.coordinatorVote());
    }
    return sb.toString();
  }

  private static String detail(CollabEvent ev) {
    return switch (ev) {
      case CollabEvent.SessionCreated c ->
          "task "
              + c.taskId()
              + ", "
              + c.spec().mode()
              + ", "
              + c.spec().convergence().type()
              + ", nodes "
              + c.spec().minNodes()
              + (c.spec().maxNodes() == null ? "+" : ".." + c.spec().maxNodes())
              + ", max rounds "
              + c.spec().maxRounds();
      case CollabEvent.NodeJoined j -> j.nodeId() + " joined as " + j.role();
      case CollabEvent.NodeLeft l ->
          l.nodeId() + " left" + (l.reason() == null ? "" : ": " + l.reason());
      case CollabEvent.NodeMarkedDead d ->
          d.nodeId() + " marked dead in round " + d.roundNumber() + ": " + d.reason();
      case CollabEvent.RecruitingClosed r ->
          "recruiting closed (" + r.reason() + ") with " + r.nodeIds();
      case CollabEvent.RoundStarted r ->
          "round "
              + r.roundNumber()
              + " "
              + r.assignments().stream().map(a -> a.nodeId() + "=" + a.role() + a.scope()).toList()
              + (r.currentTurn() == null ? "" : " turn " + r.currentTurn())
              + (r.sharedIntel().isBlank()
                  ? "" // nothing shared yet: a first round
                  : "\n        intel: " + r.sharedIntel().replace("\n", "\n               "));
      case CollabEvent.TurnAdvanced t -> "turn " + t.previousTurn() + " -> " + t.currentTurn();
      case CollabEvent.ReflectionSubmitted r -> reflection(r.roundNumber(), r.reflection());
      case CollabEvent.CoordinatorVoted v ->
          "coordinator "
              + v.nodeId()
              + " voted "
              + v.vote()
              + " in round "
              + v.roundNumber()
              + (v.reason() == null || v.reason().isBlank() ? "" : ": " + v.reason());
      case CollabEvent.RoundEvaluated e ->
          "round "
              + e.roundNumber()
              + " evaluated under "
              + e.rule().type()
              + " (threshold "
              + e.rule().threshold()
              + ", min_quorum "
              + e.rule().minQuorum()
              + "): "
              + tally(e.tally())
              + " -> "
              + (e.converged() ? "converged" : "not converged")
              + ", "
              + e.outcome()
              + (e.timedOut() ? " (timed out)" : "");
      case CollabEvent.SessionConverged c -> "converged in round " + c.roundNumber();
      case CollabEvent.SessionCompleted c ->
          "completed after "
              + c.roundsTaken()
              + " rounds: "
              + (c.result() == null ? "" : c.result().path("summary").asText());
      case CollabEvent.SessionAborted a -> "aborted (" + a.reason() + "): " + a.message();
    };
  }

  private static String reflection(int round, CollabReflection r) {
    return r.nodeId()
        + " reflected in round "
        + round
        + ": vote "
        + r.vote()
        + (r.parseFailed() ? " [PARSE FAILED]" : "")
        + ", confidence "
        + RoundIntel.number(r.confidence())
        + (r.metricPassed() == null ? "" : ", metric " + (r.metricPassed() ? "passed" : "failed"));
  }
}
