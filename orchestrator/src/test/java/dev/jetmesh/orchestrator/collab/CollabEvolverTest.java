package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.SID;
import static dev.jetmesh.orchestrator.collab.CollabGiven.T0;
import static dev.jetmesh.orchestrator.collab.CollabGiven.append;
import static dev.jetmesh.orchestrator.collab.CollabGiven.created;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflected;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static dev.jetmesh.orchestrator.collab.CollabGiven.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.CollabEvent.NodeLeft;
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
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.Vote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Given events, when they are folded by {@link CollabEvolver}, then the session: its status,
 * members, rounds and deadlines come from the events alone (the i-th at {@link CollabGiven#T0} + i
 * seconds).
 */
class CollabEvolverTest {

  private static RoundStarted round(int n, Long timeoutMs, String... turnOrder) {
    List<CollabAssignment> a = new ArrayList<>();
    for (String node : List.of("n1", "n2")) {
      a.add(new CollabAssignment(node, "worker", List.of("*")));
    }
    List<String> order = List.of(turnOrder);
    return new RoundStarted(n, "", a, order, order.isEmpty() ? null : order.get(0), timeoutMs);
  }

  private static List<CollabEvent> started(CollabSpec spec, Long timeoutMs) {
    return List.of(
        created(spec),
        joined("n1"),
        joined("n2"),
        new RecruitingClosed("join_window", List.of("n1", "n2")),
        round(1, timeoutMs));
  }

  @Test
  void created_isRecruiting_withTheSpecFlattened_atTheEventsTime() {
    CollabSession s = given(created(spec()));
    assertThat(s.sessionId()).isEqualTo(SID);
    assertThat(s.status()).isEqualTo("recruiting");
    assertThat(s.spec()).isEqualTo(spec());
    assertThat(s.createdAt()).isEqualTo(T0);
    assertThat(s.version()).isEqualTo(1);
    assertThat(s.nodes()).isEmpty();
  }

  @Test
  void joins_addMembers_andTheFirstJoinSetsTheRecruitingDeadline() {
    CollabSession s =
        given(
            created(spec()),
            joined("n1"),
            new CollabEvent.NodeJoined("n2", "tester", T0.plusSeconds(99)));
    assertThat(s.nodes())
        .extracting(n -> n.nodeId() + "/" + n.role())
        .containsExactly("n1/worker", "n2/tester");
    assertThat(s.nodes().get(1).joinedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(s.recruitingDeadline()).isEqualTo(T0.plusSeconds(31));
    assertThat(given(created(spec()), joined("n1"), new NodeLeft("n1", null)).nodes()).isEmpty();
  }

  @Test
  void roundStarted_activatesTheSession_withADeadline_atItsTimePlusTheRecordedTimeout() {
    CollabSession s = given(started(spec(), 90_000L));
    assertThat(s.status()).isEqualTo("active");
    assertThat(s.currentRound()).isEqualTo(1);
    assertThat(s.recruitedCount()).isEqualTo(2);
    assertThat(s.round().startedAt()).isEqualTo(T0.plusSeconds(4));
    assertThat(s.round().deadline()).isEqualTo(T0.plusSeconds(4 + 90));
  }

  @Test
  void roundStoredWithoutATimeout_takesTheSpecsTimeout_elseThe1800sDefault() {
    CollabSpec withTimeout =
        spec(
            CollabMode.PARALLEL,
            new CollabConvergence(ConvergenceType.UNANIMOUS, 0.66, null, 2, null, null, null),
            null,
            120);
    assertThat(given(started(withTimeout, null)).round().deadline())
        .isEqualTo(T0.plusSeconds(4 + 120));
    assertThat(given(started(spec(), null)).round().deadline())
        .isEqualTo(T0.plusSeconds(4).plus(Duration.ofSeconds(1800)));
  }

  @Test
  void sequentialJoins_makeTheTurnOrder_andTheRoundSetsWhoseTurnItIs() {
    CollabSpec seq = spec(CollabMode.SEQUENTIAL, ConvergenceType.UNANIMOUS, null);
    List<CollabEvent> round1 =
        List.of(
            created(seq),
            joined("n2"),
            joined("n1"),
            new RecruitingClosed("join_window", List.of("n2", "n1")),
            round(1, 1000L, "n2", "n1"));
    assertThat(given(round1.subList(0, 3)).turnOrder()).containsExactly("n2", "n1");
    assertThat(given(round1).currentTurn()).isEqualTo("n2");
    assertThat(given(append(round1, new TurnAdvanced(1, "n2", "n1", "intel"))).currentTurn())
        .isEqualTo("n1");
  }

  @Test
  void reflection_isAddedToItsRound_andMarksTheMemberReflecting() {
    List<CollabEvent> e = new ArrayList<>(started(spec(), 1000L));
    e.add(reflected(1, "n1", Vote.CONVERGED));
    CollabSession s = given(e);
    assertThat(s.round().reflectionOf("n1").vote()).isEqualTo(Vote.CONVERGED);
    assertThat(s.node("n1").status()).isEqualTo("reflecting");
    assertThat(s.node("n2").status()).isEqualTo("active");
  }

  @Test
  void deadMember_staysUntilTheNextRound_whichPrunesItAndReactivatesTheRest() {
    List<CollabEvent> e = new ArrayList<>(started(spec(), 1000L));
    e.add(reflected(1, "n1", Vote.CONTINUE));
    e.add(new NodeMarkedDead("n2", 1, "round timeout"));
    assertThat(given(e).node("n2").dead()).isTrue();
    e.add(
        new RoundEvaluated(
            1,
            spec().convergence(),
            new CollabTally(1, 1, 0, 1, 0, 0, 0, 0, null, null),
            false,
            "next_round",
            true));
    e.add(round(2, 1000L));
    CollabSession s = given(e);
    assertThat(s.nodes()).extracting(n -> n.nodeId()).containsExactly("n1");
    assertThat(s.node("n1").status()).isEqualTo("active");
    assertThat(s.rounds().get(0).timedOut()).isTrue();
    assertThat(s.rounds().get(0).outcome()).isEqualTo("next_round");
    assertThat(s.rounds().get(0).completedAt()).isEqualTo(T0.plusSeconds(7));
  }

  @Test
  void coordinatorVote_isKeptOnItsRound() {
    List<CollabEvent> e = new ArrayList<>(started(spec(), 1000L));
    e.add(new CoordinatorVoted(1, "n1", Vote.CONVERGED, "done"));
    assertThat(given(e).round().coordinatorVote()).isEqualTo(Vote.CONVERGED);
    assertThat(given(e).round().coordinatorVoter()).isEqualTo("n1");
  }

  @Test
  void convergedThenCompleted_keepsTheResult_andTheEndTime() {
    List<CollabEvent> e = new ArrayList<>(started(spec(), 1000L));
    e.add(new SessionConverged(1));
    assertThat(given(e).status()).isEqualTo("converged");
    SessionCompleted c = SessionResult.complete(given(e), false);
    e.add(c);
    CollabSession s = given(e);
    assertThat(s.status()).isEqualTo("completed");
    assertThat(s.terminal()).isTrue();
    assertThat(s.result()).isEqualTo(c.result());
    assertThat(s.completedAt()).isEqualTo(T0.plusSeconds(6));
  }

  @Test
  void aborted_keepsTheMessage_asTheAbortReason() {
    List<CollabEvent> e = new ArrayList<>(started(spec(), 1000L));
    e.add(new SessionAborted("below_min_nodes", "Below min_nodes: 1 < 2"));
    CollabSession s = given(e);
    assertThat(s.status()).isEqualTo("aborted");
    assertThat(s.abortReason()).isEqualTo("Below min_nodes: 1 < 2");
  }

  @Test
  void illegalEvents_areRefused_beforeCreation_twiceCreated_orForARoundNeverStarted() {
    assertThatThrownBy(() -> CollabEvolver.evolve(null, stored(joined("n1"), 1, T0)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("collab.node_joined for unknown session " + SID);
    CollabSession s = given(created(spec()));
    assertThatThrownBy(() -> CollabEvolver.evolve(s, stored(created(spec()), 2, T0)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("session " + SID + " created twice");
    assertThatThrownBy(
            () -> CollabEvolver.evolve(s, stored(reflected(3, "n1", Vote.CONTINUE), 2, T0)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("round 3 of " + SID + " never started");
  }
}
