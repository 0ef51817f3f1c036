package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.DEFAULT_TIMEOUT;
import static dev.jetmesh.orchestrator.collab.CollabGiven.SID;
import static dev.jetmesh.orchestrator.collab.CollabGiven.T0;
import static dev.jetmesh.orchestrator.collab.CollabGiven.append;
import static dev.jetmesh.orchestrator.collab.CollabGiven.created;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflected;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflection;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.jetmesh.schema.events.CollabEvent.NodeMarkedDead;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.Vote;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Given/when/then tests of the pure collab decider: a session folded from events, a command and a
 * time; then the events it decides, or the exact refusal.
 */
class CollabDeciderTest {
  private static final Instant NOW = T0.plusSeconds(100);

  // ---- given ---------------------------------------------------------------------------------

  /** Recruiting with n1 and n2 (no max_nodes). */
  private static List<CollabEvent> recruiting(CollabMode mode, ConvergenceType type) {
    return List.of(created(spec(mode, type, null)), joined("n1"), joined("n2"));
  }

  /** {@code events} plus what the rules decide next (closing recruiting: round 1). */
  private static List<CollabEvent> stepped(List<CollabEvent> events) {
    List<CollabEvent> next =
        CollabRules.step(given(events), T0.plusSeconds(60), Set.of(), DEFAULT_TIMEOUT);
    return append(events, next.toArray(CollabEvent[]::new));
  }

  /** Round 1 open, n1 and n2 members. */
  private static List<CollabEvent> active(CollabMode mode, ConvergenceType type) {
    return stepped(recruiting(mode, type));
  }

  private static List<CollabEvent> active() {
    return active(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS);
  }

  // ---- when/then helpers -----------------------------------------------------------------------

  private static Decision<CollabEvent> when(List<CollabEvent> given, CollabCommand c) {
    return CollabDecider.decide(given(given), c, NOW);
  }

  private static List<CollabEvent> accepted(Decision<CollabEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Accept.class);
    return ((Decision.Accept<CollabEvent>) d).events();
  }

  private static String rejected(Decision<CollabEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Reject.class);
    return ((Decision.Reject<CollabEvent>) d).error();
  }

  private static SubmitReflection reflect(String node, Vote vote) {
    return new SubmitReflection(SID, null, reflection(node, vote));
  }

  // ---- create --------------------------------------------------------------------------------

  @Test
  void create_onNewSession_emitsCreated_withTheSpec() {
    CreateSession c = new CreateSession(SID, "t1", "Fix it", List.of("src/a"), spec(), null);
    assertThat(accepted(CollabDecider.decide(null, c, NOW)))
        .containsExactly(new SessionCreated(SID, "t1", "Fix it", List.of("src/a"), spec(), null));
  }

  @Test
  void create_onExistingSession_isRejected_withReferenceString() {
    CreateSession c = new CreateSession(SID, "t1", "Fix it", List.of(), spec(), null);
    assertThat(rejected(when(List.of(created(spec())), c)))
        .isEqualTo("Session already exists for task t1: " + SID);
  }

  // ---- join ----------------------------------------------------------------------------------

  @Test
  void firstJoin_setsTheRecruitingDeadline_nowPlusJoinWindow() {
    assertThat(accepted(when(List.of(created(spec())), new JoinSession(SID, "n1", null))))
        .containsExactly(new NodeJoined("n1", "worker", NOW.plusSeconds(30)));
  }

  @Test
  void laterJoin_keepsTheFirstDeadline_andTheRoleAskedFor() {
    List<CollabEvent> given = List.of(created(spec()), joined("n1"));
    assertThat(accepted(when(given, new JoinSession(SID, "n2", "reviewer"))))
        .containsExactly(new NodeJoined("n2", "reviewer", T0.plusSeconds(31)));
  }

  @Test
  void join_isRejected_whenFull_closed_alreadyJoined_orUnknown() {
    String refusal = "Cannot join " + SID + ": full, closed, or already joined";
    List<CollabEvent> full =
        List.of(created(spec(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS, 2)), joined("n1"));
    assertThat(rejected(when(append(full, joined("n2")), new JoinSession(SID, "n3", null))))
        .isEqualTo(refusal);
    assertThat(rejected(when(active(), new JoinSession(SID, "n3", null)))).isEqualTo(refusal);
    assertThat(rejected(when(full, new JoinSession(SID, "n1", null)))).isEqualTo(refusal);
    assertThat(rejected(CollabDecider.decide(null, new JoinSession(SID, "n1", null), NOW)))
        .isEqualTo(refusal);
  }

  @Test
  void joinRefusal_saysWhy_andIsWhatAClaimOfTheSessionsTaskAsks() {
    List<CollabEvent> one =
        List.of(created(spec(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS, 2)), joined("n1"));
    assertThat(CollabDecider.joinRefusal(given(one), "n2")).isNull();
    assertThat(CollabDecider.joinRefusal(given(one), "n1")).isEqualTo("n1 is a member already");
    assertThat(CollabDecider.joinRefusal(given(append(one, joined("n2"))), "n3"))
        .isEqualTo("it is full (2 of 2 nodes)");
    assertThat(CollabDecider.joinRefusal(given(active()), "n3")).isEqualTo("it is active");
  }

  @Test
  void join_ofUnknownSession_isNotFound_withTheReferenceString() {
    Decision<CollabEvent> d = CollabDecider.decide(null, new JoinSession(SID, "n1", null), NOW);
    assertThat(((Decision.Reject<CollabEvent>) d).code()).isEqualTo(ErrorCode.NOT_FOUND);
    Decision<CollabEvent> closed = when(active(), new JoinSession(SID, "n3", null));
    assertThat(((Decision.Reject<CollabEvent>) closed).code()).isEqualTo(ErrorCode.CONFLICT);
  }

  // ---- leave ---------------------------------------------------------------------------------

  @Test
  void leave_whileRecruiting_emitsLeft_only() {
    assertThat(
            accepted(
                when(
                    recruiting(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS),
                    new LeaveSession(SID, "n2", "bye"))))
        .containsExactly(new NodeLeft("n2", "bye"));
  }

  @Test
  void leave_belowMinNodes_whileActive_abortsTheSession() {
    assertThat(accepted(when(active(), new LeaveSession(SID, "n2", null))))
        .containsExactly(
            new NodeLeft("n2", null),
            new SessionAborted("below_min_nodes", "Below min_nodes: 1 < 2"));
  }

  @Test
  void leave_ofANonMember_isAcceptedWithNoEvent_andOfAnUnknownSession_isRejected() {
    assertThat(accepted(when(active(), new LeaveSession(SID, "stranger", null)))).isEmpty();
    assertThat(rejected(CollabDecider.decide(null, new LeaveSession(SID, "n1", null), NOW)))
        .isEqualTo("Session " + SID + " not found");
  }

  // ---- reflect -------------------------------------------------------------------------------

  @Test
  void reflect_inTheOpenRound_emitsTheReflection() {
    assertThat(accepted(when(active(), reflect("n1", Vote.CONVERGED))))
        .containsExactly(new ReflectionSubmitted(1, reflection("n1", Vote.CONVERGED)));
  }

  @Test
  void reflect_beforeTheFirstRound_isRejected_withReferenceString() {
    assertThat(
            rejected(
                when(
                    recruiting(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS),
                    reflect("n1", Vote.CONVERGED))))
        .isEqualTo("Cannot submit reflection to " + SID);
  }

  @Test
  void reflect_twiceInARound_isRejected_withReferenceString() {
    assertThat(
            rejected(
                when(
                    append(active(), reflected(1, "n1", Vote.CONTINUE)),
                    reflect("n1", Vote.CONVERGED))))
        .isEqualTo("Cannot submit reflection to " + SID);
  }

  @Test
  void reflect_byANonMember_orADeadMember_isRejected() {
    assertThat(rejected(when(active(), reflect("stranger", Vote.CONVERGED))))
        .isEqualTo("Node stranger is not a member of session " + SID);
    List<CollabEvent> dead = append(active(), new NodeMarkedDead("n2", 1, "round timeout"));
    assertThat(rejected(when(dead, reflect("n2", Vote.CONVERGED))))
        .isEqualTo("Node n2 was marked dead in session " + SID + ": rejoin a new session");
  }

  @Test
  void reflect_forAnotherRound_isRejected_namingBoth() {
    SubmitReflection c = new SubmitReflection(SID, 2, reflection("n1", Vote.CONVERGED));
    assertThat(rejected(when(active(), c)))
        .isEqualTo("Reflection for round 2, but session " + SID + " is in round 1");
  }

  @Test
  void reflect_outOfTurn_inSequentialMode_isRejected_namingTheTurnHolder() {
    List<CollabEvent> seq = active(CollabMode.SEQUENTIAL, ConvergenceType.UNANIMOUS);
    assertThat(rejected(when(seq, reflect("n2", Vote.CONVERGED))))
        .isEqualTo("Not your turn: round 1 of session " + SID + " is at node n1");
    assertThat(accepted(when(seq, reflect("n1", Vote.CONVERGED)))).hasSize(1);
  }

  // ---- coordinator vote ----------------------------------------------------------------------

  private static CastCoordinatorVote vote(String node, Integer round) {
    return new CastCoordinatorVote(SID, node, round, Vote.CONVERGED, "looks done");
  }

  @Test
  void vote_byTheFirstMember_underCoordinatorConvergence_emitsTheVote() {
    List<CollabEvent> coord = active(CollabMode.PARALLEL, ConvergenceType.COORDINATOR);
    assertThat(accepted(when(coord, vote("n1", 1))))
        .containsExactly(new CoordinatorVoted(1, "n1", Vote.CONVERGED, "looks done"));
  }

  @Test
  void vote_isRejected_byAnotherMember_twice_orForAnotherRound() {
    List<CollabEvent> coord = active(CollabMode.PARALLEL, ConvergenceType.COORDINATOR);
    assertThat(rejected(when(coord, vote("n2", null))))
        .isEqualTo("Node n2 is not the coordinator of session " + SID + " (coordinator: n1)");
    assertThat(rejected(when(coord, vote("n1", 3))))
        .isEqualTo("Vote for round 3, but session " + SID + " is in round 1");
    List<CollabEvent> voted = append(coord, new CoordinatorVoted(1, "n1", Vote.CONTINUE, null));
    assertThat(rejected(when(voted, vote("n1", null))))
        .isEqualTo("Coordinator already voted in round 1 of session " + SID);
  }

  @Test
  void vote_isRejected_withoutCoordinatorConvergence_orWithoutAnOpenRound() {
    assertThat(rejected(when(active(), vote("n1", null))))
        .isEqualTo("Session " + SID + " does not use coordinator convergence");
    List<CollabEvent> recruiting = recruiting(CollabMode.PARALLEL, ConvergenceType.COORDINATOR);
    assertThat(rejected(when(recruiting, vote("n1", null))))
        .isEqualTo("Session " + SID + " has no open round to vote on");
  }

  @Test
  void vote_afterTheFirstMemberWasMarkedDead_isTheNextLiveMembers() {
    List<CollabEvent> coord =
        append(
            active(CollabMode.PARALLEL, ConvergenceType.COORDINATOR),
            new NodeMarkedDead("n1", 1, "alive check failed"));
    assertThat(rejected(when(coord, vote("n1", 1))))
        .isEqualTo("Node n1 is not the coordinator of session " + SID + " (coordinator: n2)");
    assertThat(accepted(when(coord, vote("n2", 1))))
        .containsExactly(new CoordinatorVoted(1, "n2", Vote.CONVERGED, "looks done"));
  }

  @Test
  void vote_withNoLiveMemberLeft_isRefused_namingNoCoordinator() {
    List<CollabEvent> coord =
        append(
            active(CollabMode.PARALLEL, ConvergenceType.COORDINATOR),
            new NodeMarkedDead("n1", 1, "alive check failed"),
            new NodeMarkedDead("n2", 1, "alive check failed"));
    assertThat(rejected(when(coord, vote("n1", 1))))
        .isEqualTo("Node n1 is not the coordinator of session " + SID + " (coordinator: none)");
  }

  @Test
  void vote_byTheNamedCoordinator_whoNeedNotBeAMember() {
    CollabConvergence rule =
        new CollabConvergence(ConvergenceType.COORDINATOR, 0.66, null, 2, "boss", null, null);
    List<CollabEvent> events =
        stepped(
            List.of(
                created(spec(CollabMode.PARALLEL, rule, null, null)), joined("n1"), joined("n2")));
    CollabSession s = given(events);
    assertThat(CollabDecider.coordinatorOf(s)).isEqualTo("boss");
    assertThat(accepted(CollabDecider.decide(s, vote("boss", null), NOW))).hasSize(1);
  }

  // ---- parent ended --------------------------------------------------------------------------

  @Test
  void abortForParent_abortsAnOpenSession_once() {
    AbortForParent c = new AbortForParent(SID, "Parent task t1 cancelled: ");
    List<CollabEvent> events = accepted(when(active(), c));
    assertThat(events)
        .containsExactly(new SessionAborted("parent_task", "Parent task t1 cancelled: "));
    assertThat(accepted(when(append(active(), events.get(0)), c))).isEmpty();
    assertThat(accepted(CollabDecider.decide(null, c, NOW))).isEmpty();
  }
}
