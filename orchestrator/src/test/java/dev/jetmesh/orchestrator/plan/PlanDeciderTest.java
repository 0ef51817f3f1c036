package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.plan.PlanGiven.PLAN;
import static dev.jetmesh.orchestrator.plan.PlanGiven.created;
import static dev.jetmesh.orchestrator.plan.PlanGiven.deps;
import static dev.jetmesh.orchestrator.plan.PlanGiven.given;
import static dev.jetmesh.orchestrator.plan.PlanGiven.human;
import static dev.jetmesh.orchestrator.plan.PlanGiven.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.plan.PlanCommand.AbortPlan;
import dev.jetmesh.orchestrator.plan.PlanCommand.ApprovePlan;
import dev.jetmesh.orchestrator.plan.PlanCommand.CreatePlan;
import dev.jetmesh.orchestrator.plan.PlanCommand.UpdateSubtask;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanAborted;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.events.PlanEvent.PlanExecutionStarted;
import dev.jetmesh.schema.events.PlanEvent.PlanSubmittedForReview;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Given/when/then tests of the pure plan decider: a plan folded from events and a command; then the
 * events it decides, or the exact refusal.
 */
class PlanDeciderTest {
  /** a, b after a, c after b, d alone. */
  private static final Map<String, List<String>> CHAIN =
      deps("a", List.of(), "b", List.of("a"), "c", List.of("b"), "d", List.of());

  // ---- given ---------------------------------------------------------------------------------

  private static PlanCreated chain(boolean approval) {
    return created(CHAIN, human(), approval);
  }

  private static List<PlanEvent> inReview() {
    return List.of(chain(true), new PlanSubmittedForReview(4, 40));
  }

  /** Executing; a and d dispatched (human subtasks wait for an update). */
  private static List<PlanEvent> executing() {
    return List.of(
        chain(false),
        new PlanExecutionStarted(PlanDecider.ORCHESTRATOR),
        new SubtaskDispatched("a", 0, "human", null),
        new SubtaskDispatched("d", 0, "human", null));
  }

  // ---- when/then helpers -----------------------------------------------------------------------

  private static Decision<PlanEvent> when(List<PlanEvent> given, PlanCommand c) {
    return PlanDecider.decide(given(given), c);
  }

  private static List<PlanEvent> accepted(Decision<PlanEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Accept.class);
    return ((Decision.Accept<PlanEvent>) d).events();
  }

  private static String rejected(Decision<PlanEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Reject.class);
    return ((Decision.Reject<PlanEvent>) d).error();
  }

  private static UpdateSubtask done(String id) {
    return new UpdateSubtask(PLAN, id, true, null, "alice", null);
  }

  private static UpdateSubtask failedBy(String id, String reason) {
    return new UpdateSubtask(PLAN, id, false, null, "alice", reason);
  }

  // ---- create --------------------------------------------------------------------------------

  @Test
  void create_withoutApproval_startsExecuting_atOnce() {
    assertThat(accepted(PlanDecider.decide(null, new CreatePlan(PLAN, chain(false)))))
        .containsExactly(chain(false), new PlanExecutionStarted("orchestrator"));
  }

  @Test
  void create_withApproval_goesToReview_withTheSubtaskCountAndBudget() {
    assertThat(accepted(PlanDecider.decide(null, new CreatePlan(PLAN, chain(true)))))
        .containsExactly(chain(true), new PlanSubmittedForReview(4, 40));
  }

  @Test
  void create_ofAnExistingPlan_isRejected() {
    assertThat(rejected(when(inReview(), new CreatePlan(PLAN, chain(true)))))
        .isEqualTo("Plan " + PLAN + " already exists");
  }

  @Test
  void anyOtherCommand_onAnUnknownPlan_isRejected_notFound() {
    assertThat(rejected(PlanDecider.decide(null, new ApprovePlan(PLAN, "bob"))))
        .isEqualTo("Plan " + PLAN + " not found");
    assertThat(rejected(PlanDecider.decide(null, done("a"))))
        .isEqualTo("Plan " + PLAN + " or subtask a not found");
  }

  // ---- approve -------------------------------------------------------------------------------

  @Test
  void approve_inReview_approvesAndStarts_byTheApprover() {
    assertThat(accepted(when(inReview(), new ApprovePlan(PLAN, "bob"))))
        .containsExactly(new PlanApproved("bob"), new PlanExecutionStarted("bob"));
  }

  @Test
  void approve_twice_orOfAPlanThatNeedsNone_isRejected() {
    List<PlanEvent> approved = new ArrayList<>(inReview());
    approved.add(new PlanApproved("bob"));
    assertThat(rejected(when(approved, new ApprovePlan(PLAN, "carol"))))
        .isEqualTo("Plan " + PLAN + " is already approved (by bob)");
    assertThat(rejected(when(executing(), new ApprovePlan(PLAN, "carol"))))
        .isEqualTo("Plan " + PLAN + " is executing: only a plan awaiting approval can be approved");
  }

  // ---- abort ---------------------------------------------------------------------------------

  @Test
  void abort_blocksEveryPendingAndDispatchedSubtask() {
    assertThat(accepted(when(executing(), new AbortPlan(PLAN, "changed my mind"))))
        .containsExactly(
            new PlanAborted("changed my mind"),
            new SubtaskBlocked("a", null, "Plan aborted: changed my mind"),
            new SubtaskBlocked("b", null, "Plan aborted: changed my mind"),
            new SubtaskBlocked("c", null, "Plan aborted: changed my mind"),
            new SubtaskBlocked("d", null, "Plan aborted: changed my mind"));
  }

  @Test
  void abort_ofAnEndedPlan_isRejected() {
    List<PlanEvent> aborted = new ArrayList<>(inReview());
    aborted.add(new PlanAborted("x"));
    assertThat(rejected(when(aborted, new AbortPlan(PLAN, "again"))))
        .isEqualTo("Plan " + PLAN + " is already aborted");
  }

  // ---- subtask updates -----------------------------------------------------------------------

  @Test
  void update_completed_recordsTheOwner_andASuccessResult() {
    List<PlanEvent> events = accepted(when(executing(), done("a")));
    assertThat(events).hasSize(1);
    SubtaskCompleted c = (SubtaskCompleted) events.get(0);
    assertThat(c.subtaskId()).isEqualTo("a");
    assertThat(c.owner()).isEqualTo("alice");
    assertThat(c.result().toString()).isEqualTo("{\"success\":true,\"summary\":\"completed\"}");
  }

  @Test
  void update_failed_blocksEveryPendingTransitiveDependent_only() {
    List<PlanEvent> events = accepted(when(executing(), failedBy("a", "no time")));
    assertThat(events.get(0)).isInstanceOf(SubtaskFailed.class);
    assertThat(((SubtaskFailed) events.get(0)).reason()).isEqualTo("no time");
    assertThat(events.subList(1, events.size()))
        .containsExactly(
            new SubtaskBlocked("b", "a", "Blocked: dependency a failed"),
            new SubtaskBlocked("c", "a", "Blocked: dependency a failed"));
    Plan after = PlanProgress.apply(given(executing()), events);
    assertThat(after.subtask("d").status().wire()).isEqualTo("queued");
  }

  @Test
  void update_isRejected_forAPendingSubtask_anUnknownOne_orAMeshTask() {
    assertThat(rejected(when(executing(), done("b"))))
        .isEqualTo("Subtask b is pending: only a dispatched subtask can be updated");
    assertThat(rejected(when(executing(), done("zz"))))
        .isEqualTo("Plan " + PLAN + " or subtask zz not found");
    List<PlanEvent> meshPlan =
        List.of(
            created(CHAIN, mesh(), false),
            new PlanExecutionStarted("orchestrator"),
            new SubtaskDispatched("a", 0, "solo_mesh", "a"));
    assertThat(rejected(when(meshPlan, done("a"))))
        .isEqualTo("Subtask a runs as mesh task a: complete or fail that task instead");
  }

  @Test
  void update_whileNotExecuting_isRejected() {
    assertThat(rejected(when(inReview(), done("a"))))
        .isEqualTo("Plan " + PLAN + " is review: subtasks can only be updated while it executes");
  }

  // ---- the parent task a plan is created for -------------------------------------------------

  private static Task parent(TaskStatus status) {
    return PlanGiven.task("rel", status);
  }

  @Test
  void parent_queued_mayBePlanned() {
    // given a queued parent (tagged or not: creation tags it); when a plan is created; then yes
    assertThat(PlanDecider.refuseParent("rel", parent(TaskStatus.QUEUED))).isNull();
  }

  @Test
  void parent_absent_isNotFound_withTheReferenceString() {
    Decision.Reject<PlanEvent> r = PlanDecider.refuseParent("ghost", null);
    assertThat(r).isNotNull();
    assertThat(r.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(r.error()).isEqualTo("Parent task ghost not found");
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskStatus.class,
      names = {"COMPLETED", "FAILED", "RELEASED", "CANCELLED"})
  void parent_thatEnded_isAConflict_namingItsStatus_andTheTag(TaskStatus status) {
    // given a parent a worker claimed first and that has ended (the plan could never settle it)
    // when a plan is created for it
    Decision.Reject<PlanEvent> r = PlanDecider.refuseParent("rel", parent(status));
    // then it is refused, saying why and what to do instead
    assertThat(r).isNotNull();
    assertThat(r.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(r.error())
        .isEqualTo(
            "Parent task rel is "
                + status.wire()
                + ": a plan cannot do the work of a task that has ended. Submit the parent with"
                + " tag plan-parent (no worker claims it), then create its plan");
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskStatus.class,
      names = {"QUEUED", "CLAIMED", "RUNNING"})
  void parent_queuedOrHeldByANode_mayBePlanned(TaskStatus status) {
    // given a parent that is queued, or that a node holds (a planner that claimed it and splits it)
    // when a plan is created for it; then nothing refuses it
    assertThat(PlanDecider.refuseParent("rel", parent(status))).isNull();
  }
}
