package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.DEFAULT_TIMEOUT;
import static dev.jetmesh.orchestrator.collab.CollabGiven.SID;
import static dev.jetmesh.orchestrator.collab.CollabGiven.T0;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Given a session of a task with a {@code budget_usd} and rounds whose reflections report costs,
 * when the next round is due, then it starts only while the known spend is under the budget;
 * otherwise the session aborts ({@code budget_exceeded}) and the parent fails with that reason. A
 * settled session's rounds become its task's attempts, with their best scores and costs.
 */
class CollabMoneyBudgetTest {
  private static final CollabSpec METRIC =
      spec(
          CollabMode.PARALLEL,
          new CollabConvergence(
              ConvergenceType.METRIC, 0.66, "score.sh", 2, null, new BigDecimal("0.9"), null),
          null,
          null);

  private static CollabReflection costing(String node, String usd, String score, boolean passed) {
    return new CollabReflection(
        node,
        "did " + node,
        "",
        List.of(),
        0.8,
        Vote.CONTINUE,
        false,
        passed,
        score == null ? null : new BigDecimal(score),
        usd == null ? null : new BigDecimal(usd),
        T0.plusSeconds(50));
  }

  /** Round 1 worked by n1 and n2 with these costs, evaluated (no convergence: 0.5 < 0.9). */
  private static List<CollabEvent> roundOneEvaluated(String budget, String c1, String c2) {
    List<CollabEvent> e = new ArrayList<>();
    e.add(
        new SessionCreated(
            SID,
            "t1",
            "Fix it",
            List.of(),
            METRIC,
            budget == null ? null : new BigDecimal(budget)));
    e.add(joined("n1"));
    e.add(joined("n2"));
    e.addAll(step(e, T0.plusSeconds(40))); // recruiting closed, round 1
    e.add(new ReflectionSubmitted(1, costing("n1", c1, "0.5", false)));
    e.add(new ReflectionSubmitted(1, costing("n2", c2, "0.4", false)));
    e.addAll(step(e, T0.plusSeconds(60))); // evaluated: next_round
    return e;
  }

  private static List<CollabEvent> step(List<CollabEvent> events, Instant now) {
    return CollabRules.step(given(events), now, Set.of(), DEFAULT_TIMEOUT);
  }

  @Test
  void roundsThatSpentTheBudgetExactly_abortTheSession_insteadOfTheNextRound() {
    List<CollabEvent> e = roundOneEvaluated("0.05", "0.03", "0.02");
    assertThat(step(e, T0.plusSeconds(70)))
        .containsExactly(
            new SessionAborted(
                "budget_exceeded",
                "Collab aborted: Budget exceeded: $0.05 spent of $0.05 budget_usd"));
  }

  @Test
  void roundsJustUnderTheBudget_startTheNextRound() {
    List<CollabEvent> e = roundOneEvaluated("0.05", "0.03", "0.0199");
    assertThat(step(e, T0.plusSeconds(70))).singleElement().isInstanceOf(RoundStarted.class);
  }

  @Test
  void unknownCosts_doNotCount_andNoBudget_neverStops() {
    assertThat(step(roundOneEvaluated("0.03", "0.03", null), T0.plusSeconds(70)))
        .singleElement()
        .isInstanceOf(SessionAborted.class);
    assertThat(step(roundOneEvaluated("0.03", null, null), T0.plusSeconds(70)))
        .singleElement()
        .isInstanceOf(RoundStarted.class);
    assertThat(step(roundOneEvaluated(null, "5", "5"), T0.plusSeconds(70)))
        .singleElement()
        .isInstanceOf(RoundStarted.class);
  }

  @Test
  void aBudgetAbort_failsTheParent_withReasonBudgetExceeded_andTheSpend() {
    List<CollabEvent> e = roundOneEvaluated("0.05", "0.03", null);
    e.addAll(step(e, T0.plusSeconds(70)));
    // under budget with an unknown cost: round 2 started; n1 spends the rest
    assertThat(e.get(e.size() - 1)).isInstanceOf(RoundStarted.class);
    e.add(new ReflectionSubmitted(2, costing("n1", "0.02", "0.6", false)));
    e.add(new ReflectionSubmitted(2, costing("n2", null, null, false)));
    e.addAll(step(e, T0.plusSeconds(90)));
    e.addAll(step(e, T0.plusSeconds(91)));
    CollabSession s = given(e);
    assertThat(s.status()).isEqualTo("aborted");
    SessionResult.ParentAction a = SessionResult.parentAction(s);
    assertThat(a.kind()).isEqualTo("fail");
    assertThat(a.reason()).isEqualTo("budget_exceeded");
    assertThat(a.result().path("summary").asText())
        .isEqualTo(
            "Budget exceeded: $0.05 spent of $0.05 budget_usd (2 runs of unknown cost not"
                + " counted)");

    List<Attempt> rounds = SessionResult.roundAttempts(s);
    assertThat(rounds).extracting(Attempt::attempt).containsExactly(1, 2);
    assertThat(rounds).extracting(Attempt::keep).containsExactly(false, false);
    assertThat(rounds).extracting(Attempt::metricPassed).containsExactly(false, false);
    assertThat(rounds.get(0).metricScore()).isEqualByComparingTo("0.5");
    assertThat(rounds.get(1).metricScore()).isEqualByComparingTo("0.6");
    assertThat(rounds.get(0).costUsd()).isEqualByComparingTo("0.03");
    assertThat(rounds.get(1).costUsd()).isEqualByComparingTo("0.02");
    assertThat(rounds.get(0).approach()).isEqualTo("Collaboration round 1 of " + SID);
  }

  @Test
  void aRoundWithNoReportedCost_isAnAttemptOfUnknownCost_andScoresFollowTheDirection() {
    CollabSpec lower =
        spec(
            CollabMode.PARALLEL,
            new CollabConvergence(
                ConvergenceType.METRIC, 0.66, "t.sh", 2, null, null, MetricDirection.LOWER),
            null,
            null);
    List<CollabEvent> e = new ArrayList<>();
    e.add(new SessionCreated(SID, "t1", "Fix it", List.of(), lower, null));
    e.add(joined("n1"));
    e.add(joined("n2"));
    e.addAll(step(e, T0.plusSeconds(40)));
    e.add(new ReflectionSubmitted(1, costing("n1", null, "7", true)));
    e.add(new ReflectionSubmitted(1, costing("n2", null, "3", true)));
    e.addAll(step(e, T0.plusSeconds(60)));
    Attempt r1 = SessionResult.roundAttempts(given(e)).get(0);
    assertThat(r1.costUsd()).isNull();
    assertThat(r1.metricScore()).isEqualByComparingTo("3");
    assertThat(r1.metricPassed()).isTrue();
    assertThat(r1.keep()).as("converged: every metric check passed").isTrue();
  }
}
