package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.DEFAULT_TIMEOUT;
import static dev.jetmesh.orchestrator.collab.CollabGiven.T0;
import static dev.jetmesh.orchestrator.collab.CollabGiven.append;
import static dev.jetmesh.orchestrator.collab.CollabGiven.created;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflected;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.CollabEvent.NodeMarkedDead;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.RoundEvaluated;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCompleted;
import dev.jetmesh.schema.events.CollabEvent.SessionConverged;
import dev.jetmesh.schema.events.CollabEvent.TurnAdvanced;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.Vote;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Given/when/then tests of {@link CollabRules#step}: a session folded from events, the time and the
 * members that failed the alive check; then the next decision. Events are one second apart from
 * {@link CollabGiven#T0}; rounds take the 30-minute default unless the spec says otherwise.
 */
class CollabRulesTest {

  // ---- given ---------------------------------------------------------------------------------

  private static List<CollabEvent> recruiting(CollabSpec spec, String... nodes) {
    List<CollabEvent> out = new java.util.ArrayList<>(List.of(created(spec)));
    for (String n : nodes) {
      out.add(joined(n));
    }
    return out;
  }

  /** {@code events} plus the next step at {@code now}. */
  private static List<CollabEvent> stepped(List<CollabEvent> events, Instant now) {
    return append(events, when(events, now).toArray(CollabEvent[]::new));
  }

  /** Round 1 open (started at T0 + 3 s) with n1 and n2. */
  private static List<CollabEvent> round1(CollabSpec spec) {
    return stepped(recruiting(spec, "n1", "n2"), T0.plusSeconds(40));
  }

  private static Instant startOf(List<CollabEvent> events, int round) {
    return given(events).rounds().get(round - 1).startedAt();
  }

  // ---- when ----------------------------------------------------------------------------------

  private static List<CollabEvent> when(List<CollabEvent> given, Instant now) {
    return when(given, now, Set.of());
  }

  private static List<CollabEvent> when(
      List<CollabEvent> given, Instant now, Set<String> unresponsive) {
    return CollabRules.step(given(given), now, unresponsive, DEFAULT_TIMEOUT);
  }

  // ---- recruiting ----------------------------------------------------------------------------

  @Test
  void recruiting_closesAtMaxNodes_andStartsRound1_recordingTheDefaultTimeout() {
    CollabSpec spec = spec(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS, 2);
    List<CollabEvent> events = when(recruiting(spec, "n1", "n2"), T0.plusSeconds(3));
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isEqualTo(new RecruitingClosed("max_nodes", List.of("n1", "n2")));
    RoundStarted r = (RoundStarted) events.get(1);
    assertThat(r.roundNumber()).isEqualTo(1);
    assertThat(r.sharedIntel()).isEmpty();
    assertThat(r.roundTimeoutMs()).isEqualTo(DEFAULT_TIMEOUT.toMillis());
    assertThat(r.assignments()).extracting(a -> a.nodeId()).containsExactly("n1", "n2");
  }

  @Test
  void recruiting_closesAtTheJoinWindow_andNotBefore() {
    List<CollabEvent> given = recruiting(spec(), "n1", "n2");
    Instant deadline = given(given).recruitingDeadline();
    assertThat(when(given, deadline.minusMillis(1))).isEmpty();
    assertThat(when(given, deadline).get(0))
        .isEqualTo(new RecruitingClosed("join_window", List.of("n1", "n2")));
  }

  @Test
  void recruiting_withTooFewNodes_atTheWindow_abortsAsRecruitFailed() {
    List<CollabEvent> given = recruiting(spec(), "n1");
    assertThat(when(given, T0.plusSeconds(40)))
        .containsExactly(
            new RecruitingClosed("join_window", List.of("n1")),
            new SessionAborted("recruit_failed", "Not enough nodes: 1 < 2"));
  }

  @Test
  void roundTimeout_ofTheSpec_overridesTheDefault_andIsRecorded() {
    CollabSpec spec =
        spec(
            CollabMode.PARALLEL,
            new CollabConvergence(ConvergenceType.UNANIMOUS, 0.66, null, 2, null, null, null),
            2,
            90);
    RoundStarted r = (RoundStarted) when(recruiting(spec, "n1", "n2"), T0).get(1);
    assertThat(r.roundTimeoutMs()).isEqualTo(90_000L);
  }

  // ---- evaluation ----------------------------------------------------------------------------

  @Test
  void round_waitsUntilEveryLiveMemberReflected_thenIsEvaluated() {
    List<CollabEvent> one = append(round1(spec()), reflected(1, "n1", Vote.CONVERGED));
    assertThat(when(one, T0.plusSeconds(60))).isEmpty();
    List<CollabEvent> both = append(one, reflected(1, "n2", Vote.CONVERGED));
    RoundEvaluated e = (RoundEvaluated) when(both, T0.plusSeconds(60)).get(0);
    assertThat(e.converged()).isTrue();
    assertThat(e.outcome()).isEqualTo("converged");
    assertThat(e.timedOut()).isFalse();
    assertThat(e.tally().convergedVotes()).isEqualTo(2);
    assertThat(e.rule()).isEqualTo(spec().convergence());
  }

  @Test
  void convergedRound_thenConverges_andCompletesTheSession() {
    List<CollabEvent> evaluated =
        stepped(
            append(
                round1(spec()),
                reflected(1, "n1", Vote.CONVERGED),
                reflected(1, "n2", Vote.CONVERGED)),
            T0.plusSeconds(60));
    List<CollabEvent> next = when(evaluated, T0.plusSeconds(61));
    assertThat(next.get(0)).isEqualTo(new SessionConverged(1));
    SessionCompleted c = (SessionCompleted) next.get(1);
    assertThat(c.roundsTaken()).isEqualTo(1);
    assertThat(c.maxRoundsReached()).isFalse();
  }

  @Test
  void notConvergedRound_belowMaxRounds_startsTheNextRound_withItsIntel() {
    List<CollabEvent> evaluated =
        stepped(
            append(
                round1(spec()),
                reflected(1, "n1", Vote.CONVERGED),
                reflected(1, "n2", Vote.CONTINUE)),
            T0.plusSeconds(60));
    assertThat(((RoundEvaluated) evaluated.get(evaluated.size() - 1)).outcome())
        .isEqualTo("next_round");
    RoundStarted r2 = (RoundStarted) when(evaluated, T0.plusSeconds(61)).get(0);
    assertThat(r2.roundNumber()).isEqualTo(2);
    assertThat(r2.sharedIntel())
        .startsWith("=== ROUND 1 SHARED INTELLIGENCE ===")
        .endsWith("=== CONVERGENCE: 1/2 voted converged. ===");
  }

  @Test
  void lastRound_withoutConvergence_completesWithMaxRoundsReached() {
    CollabSpec oneRound =
        new CollabSpec(CollabMode.PARALLEL, 2, null, 30, 1, spec().convergence(), "shared", null);
    List<CollabEvent> evaluated =
        stepped(
            append(
                round1(oneRound),
                reflected(1, "n1", Vote.BLOCKED),
                reflected(1, "n2", Vote.CONTINUE)),
            T0.plusSeconds(60));
    List<CollabEvent> next = when(evaluated, T0.plusSeconds(61));
    assertThat(next).hasSize(1);
    assertThat(((SessionCompleted) next.get(0)).maxRoundsReached()).isTrue();
  }

  // ---- liveness ------------------------------------------------------------------------------

  @Test
  void memberThatFailsTheAliveCheck_isMarkedDead_unlessItReflected() {
    List<CollabEvent> given = append(round1(spec()), reflected(1, "n1", Vote.CONTINUE));
    assertThat(when(given, T0.plusSeconds(60), Set.of("n1", "n2")))
        .containsExactly(new NodeMarkedDead("n2", 1, "alive check failed"));
  }

  @Test
  void silentMembers_areMarkedDead_atTheRoundDeadline_andNotBefore() {
    List<CollabEvent> given = append(round1(spec()), reflected(1, "n1", Vote.CONTINUE));
    Instant deadline = startOf(given, 1).plus(DEFAULT_TIMEOUT);
    assertThat(when(given, deadline.minusMillis(1))).isEmpty();
    assertThat(when(given, deadline)).containsExactly(new NodeMarkedDead("n2", 1, "round timeout"));
  }

  @Test
  void roundAfterADeath_withTooFewLiveMembers_abortsTheSession() {
    List<CollabEvent> given =
        stepped(
            append(
                round1(spec()),
                reflected(1, "n1", Vote.CONTINUE),
                new NodeMarkedDead("n2", 1, "round timeout")),
            T0.plus(Duration.ofHours(1)));
    RoundEvaluated e = (RoundEvaluated) given.get(given.size() - 1);
    assertThat(e.timedOut()).isTrue();
    assertThat(when(given, T0.plus(Duration.ofHours(1))))
        .containsExactly(
            new SessionAborted(
                "insufficient_nodes", "Collab aborted: too few active nodes (1 < 2)"));
  }

  // ---- sequential ----------------------------------------------------------------------------

  @Test
  void sequential_passesTheTurn_onceTheHolderReflected_withTheTurnIntel() {
    CollabSpec seq = spec(CollabMode.SEQUENTIAL, ConvergenceType.UNANIMOUS, null);
    List<CollabEvent> r1 = round1(seq);
    assertThat(((RoundStarted) r1.get(r1.size() - 1)).currentTurn()).isEqualTo("n1");
    List<CollabEvent> next =
        when(append(r1, reflected(1, "n1", Vote.CONTINUE)), T0.plusSeconds(60));
    TurnAdvanced t = (TurnAdvanced) next.get(0);
    assertThat(t.previousTurn()).isEqualTo("n1");
    assertThat(t.currentTurn()).isEqualTo("n2");
    assertThat(t.sharedIntel()).contains("=== INTRA-ROUND 1 (turns so far) ===", "## Turn: n1");
  }

  @Test
  void sequential_onlyTheTurnHolder_isMarkedDead_andATurnGetsTheWholeTimeout() {
    CollabSpec seq = spec(CollabMode.SEQUENTIAL, ConvergenceType.UNANIMOUS, null);
    List<CollabEvent> r1 = round1(seq);
    Instant roundDeadline = startOf(r1, 1).plus(DEFAULT_TIMEOUT);
    assertThat(when(r1, T0.plusSeconds(60), Set.of("n2"))).as("not n2's turn").isEmpty();
    assertThat(when(r1, roundDeadline))
        .containsExactly(new NodeMarkedDead("n1", 1, "round timeout"));

    // n1 reflects late in its turn: n2's turn is timed from that reflection
    Instant late = roundDeadline.minusSeconds(10);
    List<CollabEvent> turn2 =
        append(
            r1,
            new CollabEvent.ReflectionSubmitted(
                1,
                new dev.jetmesh.schema.model.CollabReflection(
                    "n1", "s", "", List.of(), 0.5, Vote.CONTINUE, false, null, null, null, late)),
            new TurnAdvanced(1, "n1", "n2", "intel"));
    CollabSession s = given(turn2);
    assertThat(CollabRules.deadline(s, s.round())).isEqualTo(late.plus(DEFAULT_TIMEOUT));
    assertThat(when(turn2, roundDeadline)).isEmpty();
  }

  // ---- coordinator ---------------------------------------------------------------------------

  @Test
  void coordinatorRound_waitsForTheVote_untilTheDeadline() {
    CollabSpec coord = spec(CollabMode.PARALLEL, ConvergenceType.COORDINATOR, null);
    List<CollabEvent> all =
        append(round1(coord), reflected(1, "n1", Vote.CONTINUE), reflected(1, "n2", Vote.CONTINUE));
    assertThat(when(all, T0.plusSeconds(60))).isEmpty();
    RoundEvaluated atDeadline =
        (RoundEvaluated) when(all, startOf(all, 1).plus(DEFAULT_TIMEOUT)).get(0);
    assertThat(atDeadline.timedOut()).isTrue();
    assertThat(atDeadline.converged()).isFalse();

    List<CollabEvent> voted = append(all, new CoordinatorVoted(1, "n1", Vote.CONVERGED, null));
    RoundEvaluated e = (RoundEvaluated) when(voted, T0.plusSeconds(60)).get(0);
    assertThat(e.converged()).isTrue();
    assertThat(e.tally().coordinatorVote()).isEqualTo(Vote.CONVERGED);
  }

  private static CollabSpec coordinator() {
    return spec(CollabMode.PARALLEL, ConvergenceType.COORDINATOR, null);
  }

  @Test
  void coordinatorConverged_decidesAtOnce_overTheMembersVotes_longBeforeTheDeadline() {
    List<CollabEvent> given =
        append(
            round1(coordinator()),
            reflected(1, "n1", Vote.CONVERGED),
            reflected(1, "n2", Vote.BLOCKED),
            new CoordinatorVoted(1, "n1", Vote.CONVERGED, "converged: done"));
    RoundEvaluated e = (RoundEvaluated) when(given, T0.plusSeconds(10)).get(0);
    assertThat(e.converged()).isTrue();
    assertThat(e.outcome()).isEqualTo("converged");
    assertThat(e.timedOut()).isFalse();
    assertThat(e.tally().convergedVotes()).isEqualTo(1);
    assertThat(e.tally().blockedVotes()).isEqualTo(1);
    assertThat(e.tally().coordinatorVote()).isEqualTo(Vote.CONVERGED);
  }

  @Test
  void coordinatorContinue_overridesUnanimousMembers_andStartsTheNextRound() {
    List<CollabEvent> evaluated =
        stepped(
            append(
                round1(coordinator()),
                reflected(1, "n1", Vote.CONVERGED),
                reflected(1, "n2", Vote.CONVERGED),
                new CoordinatorVoted(1, "n1", Vote.CONTINUE, null)),
            T0.plusSeconds(10));
    RoundEvaluated e = (RoundEvaluated) evaluated.get(evaluated.size() - 1);
    assertThat(e.converged()).isFalse();
    assertThat(e.outcome()).isEqualTo("next_round");
    assertThat(when(evaluated, T0.plusSeconds(11)).get(0)).isInstanceOf(RoundStarted.class);
  }

  @Test
  void coordinatorVote_beforeTheLastReflection_waitsForIt_thenDecides() {
    List<CollabEvent> early =
        append(
            round1(coordinator()),
            reflected(1, "n1", Vote.CONVERGED),
            new CoordinatorVoted(1, "n1", Vote.CONVERGED, null));
    assertThat(when(early, T0.plusSeconds(10))).as("n2 still working").isEmpty();
    RoundEvaluated e =
        (RoundEvaluated)
            when(append(early, reflected(1, "n2", Vote.CONTINUE)), T0.plusSeconds(11)).get(0);
    assertThat(e.converged()).isTrue();
  }

  @Test
  void deadCoordinator_passesTheSeat_andTheRoundWaitsForTheNextLiveMembersVote() {
    List<CollabEvent> given =
        append(
            stepped(recruiting(coordinator(), "n1", "n2", "n3"), T0.plusSeconds(40)),
            reflected(1, "n2", Vote.CONVERGED),
            reflected(1, "n3", Vote.CONVERGED),
            new NodeMarkedDead("n1", 1, "alive check failed"));
    assertThat(CollabDecider.coordinatorOf(given(given))).isEqualTo("n2");
    assertThat(when(given, T0.plusSeconds(60))).as("waits for n2's vote").isEmpty();
    RoundEvaluated e =
        (RoundEvaluated)
            when(
                    append(given, new CoordinatorVoted(1, "n2", Vote.CONVERGED, null)),
                    T0.plusSeconds(61))
                .get(0);
    assertThat(e.converged()).isTrue();
    assertThat(e.timedOut()).isFalse();
  }

  @Test
  void coordinatorRound_withNoLiveMemberLeftToVote_isEvaluatedWithoutWaiting() {
    List<CollabEvent> given =
        append(
            round1(coordinator()),
            new NodeMarkedDead("n1", 1, "alive check failed"),
            new NodeMarkedDead("n2", 1, "alive check failed"));
    RoundEvaluated e = (RoundEvaluated) when(given, T0.plusSeconds(60)).get(0);
    assertThat(e.converged()).isFalse();
    assertThat(e.timedOut()).isFalse();
  }

  // ---- ended ---------------------------------------------------------------------------------

  @Test
  void endedSession_hasNoNextStep() {
    List<CollabEvent> aborted =
        append(round1(spec()), new SessionAborted("parent_task", "Parent task t1 failed: x"));
    assertThat(when(aborted, T0.plus(Duration.ofDays(1)), Set.of("n1", "n2"))).isEmpty();
  }
}
