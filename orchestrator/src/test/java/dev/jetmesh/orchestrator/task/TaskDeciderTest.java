package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
import dev.jetmesh.orchestrator.task.TaskCommand.Fence;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.events.TaskEvent.AttemptRecorded;
import dev.jetmesh.schema.events.TaskEvent.TaskBudgetExceeded;
import dev.jetmesh.schema.events.TaskEvent.TaskCancelled;
import dev.jetmesh.schema.events.TaskEvent.TaskClaimed;
import dev.jetmesh.schema.events.TaskEvent.TaskCompleted;
import dev.jetmesh.schema.events.TaskEvent.TaskFailed;
import dev.jetmesh.schema.events.TaskEvent.TaskReleased;
import dev.jetmesh.schema.events.TaskEvent.TaskStalled;
import dev.jetmesh.schema.events.TaskEvent.TaskStarted;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Given/when/then tests of the pure task decider: a state folded from events with {@link
 * TaskEvolver}, a command and a time; then the events it decides, or the exact refusal.
 */
class TaskDeciderTest {
  private static final String ID = "t1";
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Fence N1 = new Fence("n1", null);

  // ---- given ---------------------------------------------------------------------------------

  private static TaskSpec spec(int budgetMinutes, List<String> exclude) {
    TaskSpec.Mutable m = TaskSpec.withDefaults(ID, "A task", "").toMutable();
    m.budgetMinutes = budgetMinutes;
    m.excludeNodes = exclude;
    return m.build();
  }

  private static TaskSpec spec() {
    return spec(30, List.of());
  }

  /** Folds {@code events}, one second apart from {@link #T0}, at stream sequences 1, 2, … */
  private static Task given(TaskEvent... events) {
    Task t = null;
    for (int i = 0; i < events.length; i++) {
      Envelope env = Envelope.wrap(events[i], ID, "test", "c", T0.plusSeconds(i));
      t = TaskEvolver.evolve(t, new StoredEvent(i + 1, "mesh.evt.task." + ID, env));
    }
    return t;
  }

  private static Task queued() {
    return given(new TaskSubmitted(spec()));
  }

  /** Claimed by n1 at T0+1s (claim token 2). */
  private static Task claimed() {
    return given(
        new TaskSubmitted(spec()),
        new TaskClaimed("n1", T0.plusSeconds(1).plus(Duration.ofMinutes(30))));
  }

  private static Task running() {
    return given(
        new TaskSubmitted(spec()),
        new TaskClaimed("n1", T0.plusSeconds(1).plus(Duration.ofMinutes(30))),
        new TaskStarted("n1"));
  }

  private static Task terminal(TaskStatus status) {
    TaskEvent last =
        switch (status) {
          case COMPLETED -> new TaskCompleted("n1", success(true));
          case FAILED -> new TaskFailed("n1", "x", success(false));
          case RELEASED -> new TaskReleased("n1", "x", success(false));
          case CANCELLED -> new TaskCancelled("client", "x", success(false));
          default -> throw new IllegalArgumentException(status.toString());
        };
    if (status == TaskStatus.CANCELLED) {
      return given(new TaskSubmitted(spec()), last);
    }
    return given(
        new TaskSubmitted(spec()),
        new TaskClaimed("n1", T0.plusSeconds(1).plus(Duration.ofMinutes(30))),
        new TaskStarted("n1"),
        last);
  }

  /** A state built without events: queued, then set by hand through {@link Task#toMutable}. */
  private static Task claimedByHand(String owner, long token, Instant claimedAt, int budget) {
    Task.Mutable m = Task.queued(spec(budget, List.of()), T0, 1).toMutable();
    m.status = TaskStatus.CLAIMED;
    m.owner = owner;
    m.claimToken = token;
    m.claimedAt = claimedAt;
    m.budgetDeadline = claimedAt.plus(Duration.ofMinutes(budget));
    m.version = token;
    return m.build();
  }

  private static JsonNode success(boolean ok) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("success", ok);
    return n;
  }

  private static Attempt attempt(String approach, String result, boolean keep) {
    return new Attempt(
        approach, result, keep, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  // ---- when/then helpers -----------------------------------------------------------------------

  private static List<TaskEvent> accepted(Decision<TaskEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Accept.class);
    return ((Decision.Accept<TaskEvent>) d).events();
  }

  private static String rejected(Decision<TaskEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Reject.class);
    return ((Decision.Reject<TaskEvent>) d).error();
  }

  private static Decision<TaskEvent> when(Task state, TaskCommand c) {
    return TaskDecider.decide(state, c, T0.plus(Duration.ofMinutes(1)));
  }

  // ---- submit --------------------------------------------------------------------------------

  @Test
  void submit_onNewTask_emitsSubmitted() {
    assertThat(accepted(when(null, new TaskCommand.SubmitTask(spec()))))
        .containsExactly(new TaskSubmitted(spec()));
  }

  @Test
  void submit_onExistingTask_isRejected_withReferenceString() {
    assertThat(rejected(when(queued(), new TaskCommand.SubmitTask(spec()))))
        .isEqualTo("Task t1 already exists");
  }

  @Test
  void submit_evolvesTo_queuedWithCreatedAtAndNoAttempts() {
    Task t = queued();
    assertThat(t.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(t.createdAt()).isEqualTo(T0);
    assertThat(t.attempts()).isEmpty();
    assertThat(t.owner()).isNull();
    assertThat(t.claimToken()).isNull();
    assertThat(t.result()).isNull();
    assertThat(t.version()).isEqualTo(1);
  }

  // ---- every command on an unknown task --------------------------------------------------------

  static Stream<Arguments> commandsOnUnknownTask() {
    return Stream.of(
        Arguments.of(new TaskCommand.ClaimTask(ID, "n1")),
        Arguments.of(new TaskCommand.StartTask(ID, Fence.LEGACY)),
        Arguments.of(new TaskCommand.RecordAttempt(ID, attempt("a", "r", false), Fence.LEGACY)),
        Arguments.of(new TaskCommand.CompleteTask(ID, null, Fence.LEGACY)),
        Arguments.of(new TaskCommand.FailTask(ID, null, List.of(), Fence.LEGACY)),
        Arguments.of(new TaskCommand.ReleaseTask(ID, null, List.of(), Fence.LEGACY)),
        Arguments.of(new TaskCommand.CancelTask(ID, null, "client")),
        Arguments.of(new TaskCommand.ExceedBudget(ID)),
        Arguments.of(new TaskCommand.ReleaseStalled(ID, 6, 5)));
  }

  @ParameterizedTest
  @MethodSource("commandsOnUnknownTask")
  void anyCommand_onUnknownTask_isRejected_notFound(TaskCommand c) {
    assertThat(rejected(when(null, c))).isEqualTo("Task t1 not found");
  }

  // ---- claim ---------------------------------------------------------------------------------

  @Test
  void claim_onQueued_setsDeadline_claimedAtPlusBudget() {
    Instant now = T0.plus(Duration.ofMinutes(3));
    List<TaskEvent> events =
        accepted(TaskDecider.decide(queued(), new TaskCommand.ClaimTask(ID, "n1"), now));
    assertThat(events).containsExactly(new TaskClaimed("n1", now.plus(Duration.ofMinutes(30))));
  }

  @Test
  void claim_evolvesTo_claimed_withOwnerClaimedAtDeadlineAndToken() {
    Task t = claimed();
    assertThat(t.status()).isEqualTo(TaskStatus.CLAIMED);
    assertThat(t.owner()).isEqualTo("n1");
    assertThat(t.claimedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(t.budgetDeadline()).isEqualTo(t.claimedAt().plus(Duration.ofMinutes(30)));
    assertThat(t.claimToken()).isEqualTo(2L);
  }

  @Test
  void claim_rejects_secondClaim_ofSameTask() {
    assertThat(rejected(when(claimed(), new TaskCommand.ClaimTask(ID, "n2"))))
        .isEqualTo("Task t1 is not queued (claimed)");
  }

  @Test
  void claim_rejects_excludedNode() {
    Task t = given(new TaskSubmitted(spec(30, List.of("n9"))));
    assertThat(rejected(when(t, new TaskCommand.ClaimTask(ID, "n9"))))
        .isEqualTo("Task t1 excludes node n9");
    assertThat(accepted(when(t, new TaskCommand.ClaimTask(ID, "n1")))).hasSize(1);
  }

  @Test
  void claim_rejects_aPlansParent_whichItsPlanSettles() {
    TaskSpec.Mutable s = spec().toMutable();
    s.tags = List.of("backend", Task.PLAN_PARENT_TAG);
    Task t = given(new TaskSubmitted(s.build()));
    assertThat(rejected(when(t, new TaskCommand.ClaimTask(ID, "n1"))))
        .isEqualTo("Task t1 is a plan's parent (tag plan-parent): its plan settles it");
  }

  // ---- start ---------------------------------------------------------------------------------

  @Test
  void start_onClaimed_byOwner_emitsStarted() {
    assertThat(accepted(when(claimed(), new TaskCommand.StartTask(ID, new Fence("n1", 2L)))))
        .containsExactly(new TaskStarted("n1"));
  }

  @Test
  void start_legacy_withoutNodeOrToken_isAccepted() {
    assertThat(accepted(when(claimed(), new TaskCommand.StartTask(ID, Fence.LEGACY))))
        .containsExactly(new TaskStarted(null));
  }

  @Test
  void start_evolvesTo_running_withStartedAt() {
    Task t = running();
    assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(t.startedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(t.owner()).isEqualTo("n1");
  }

  @Test
  void start_onRunning_isAccepted_withNoEvent() {
    assertThat(accepted(when(running(), new TaskCommand.StartTask(ID, N1)))).isEmpty();
  }

  @Test
  void start_onQueued_isRejected() {
    assertThat(rejected(when(queued(), new TaskCommand.StartTask(ID, Fence.LEGACY))))
        .isEqualTo("Task t1 is queued: cannot start");
  }

  @Test
  void start_byNonOwner_isRejected() {
    assertThat(rejected(when(claimed(), new TaskCommand.StartTask(ID, new Fence("n2", null)))))
        .isEqualTo("Task t1 is owned by n1, not n2");
  }

  @Test
  void start_withStaleClaimToken_isRejected() {
    assertThat(rejected(when(claimed(), new TaskCommand.StartTask(ID, new Fence("n1", 1L)))))
        .isEqualTo("Task t1 was re-claimed: claim token 1 is stale");
  }

  @Test
  void start_withTokenOnly_checksToken() {
    assertThat(accepted(when(claimed(), new TaskCommand.StartTask(ID, new Fence(null, 2L)))))
        .containsExactly(new TaskStarted(null));
    assertThat(rejected(when(claimed(), new TaskCommand.StartTask(ID, new Fence(null, 7L)))))
        .isEqualTo("Task t1 was re-claimed: claim token 7 is stale");
  }

  // ---- strict claims (MESH_STRICT_CLAIMS, the default) ------------------------------------------

  static Stream<Arguments> strictFences() {
    return Stream.of(
        Arguments.of(new Fence(null, null, true), "no node, no token"),
        Arguments.of(new Fence("n1", null, true), "the owner without a token"),
        Arguments.of(new Fence(null, 2L, true), "the current token without a node"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("strictFences")
  void strict_everyHeldTaskCommand_withoutNodeAndToken_isRejected_notOwner(Fence f, String what) {
    List<TaskCommand> commands =
        List.of(
            new TaskCommand.StartTask(ID, f),
            new TaskCommand.RecordAttempt(ID, attempt("a", "r", false), f),
            new TaskCommand.CompleteTask(ID, null, f),
            new TaskCommand.FailTask(ID, null, List.of(), f),
            new TaskCommand.ReleaseTask(ID, null, List.of(), f));
    for (TaskCommand c : commands) {
      Decision<TaskEvent> d = when(claimed(), c);
      assertThat(d).as(c.toString()).isInstanceOf(Decision.Reject.class);
      Decision.Reject<TaskEvent> r = (Decision.Reject<TaskEvent>) d;
      assertThat(r.code()).as(c.toString()).isEqualTo(ErrorCode.NOT_OWNER);
      assertThat(r.error()).contains("node_id and claim_token are required");
    }
  }

  @Test
  void strict_ownerWithCurrentToken_isAccepted_andStaleTokenOrOtherNode_isRejected() {
    assertThat(accepted(when(claimed(), new TaskCommand.StartTask(ID, new Fence("n1", 2L, true)))))
        .containsExactly(new TaskStarted("n1"));
    assertThat(rejected(when(claimed(), new TaskCommand.StartTask(ID, new Fence("n1", 1L, true)))))
        .isEqualTo("Task t1 was re-claimed: claim token 1 is stale");
    assertThat(rejected(when(claimed(), new TaskCommand.StartTask(ID, new Fence("n2", 2L, true)))))
        .isEqualTo("Task t1 is owned by n1, not n2");
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void start_onTerminal_isRejected(TaskStatus s) {
    assertThat(rejected(when(terminal(s), new TaskCommand.StartTask(ID, Fence.LEGACY))))
        .isEqualTo("Task t1 is " + s.wire() + ": cannot start");
  }

  static Stream<TaskStatus> terminalStates() {
    return Stream.of(
        TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.RELEASED, TaskStatus.CANCELLED);
  }

  // ---- attempt -------------------------------------------------------------------------------

  @Test
  void attempt_onRunning_isRecorded_withTimestampNow() {
    Instant now = T0.plus(Duration.ofMinutes(4));
    List<TaskEvent> events =
        accepted(
            TaskDecider.decide(
                running(),
                new TaskCommand.RecordAttempt(ID, attempt("try A", "boom", false), N1),
                now));
    assertThat(events)
        .containsExactly(new AttemptRecorded(attempt("try A", "boom", false).withTimestamp(now)));
  }

  @Test
  void attempts_evolve_byAppending_neverReplacing() {
    Attempt a = attempt("a", "r1", false).withTimestamp(T0);
    Attempt b = attempt("b", "r2", true).withTimestamp(T0);
    Task t =
        given(
            new TaskSubmitted(spec()),
            new TaskClaimed("n1", T0.plus(Duration.ofMinutes(30))),
            new AttemptRecorded(a),
            new AttemptRecorded(b));
    assertThat(t.attempts()).containsExactly(a, b);
  }

  @Test
  void attempt_onQueued_isRejected() {
    assertThat(
            rejected(
                when(
                    queued(),
                    new TaskCommand.RecordAttempt(ID, attempt("a", "r", false), Fence.LEGACY))))
        .isEqualTo("Task t1 is queued: cannot record an attempt");
  }

  @Test
  void attempt_byNonOwner_isRejected() {
    assertThat(
            rejected(
                when(
                    running(),
                    new TaskCommand.RecordAttempt(
                        ID, attempt("a", "r", false), new Fence("n2", null)))))
        .isEqualTo("Task t1 is owned by n1, not n2");
  }

  @Test
  void attempt_afterTheEnd_byTheFinalClaim_isRecorded_butChangesNothingElse() {
    Task failed = terminal(TaskStatus.FAILED); // claimed by n1 with token 2, then failed
    Fence finalClaim = new Fence("n1", failed.claimToken());
    List<TaskEvent> events =
        accepted(
            when(
                failed,
                new TaskCommand.RecordAttempt(ID, attempt("a", "killed", false), finalClaim)));
    assertThat(events).singleElement().isInstanceOf(AttemptRecorded.class);
    Task after =
        given(
            new TaskSubmitted(spec()),
            new TaskClaimed("n1", T0.plusSeconds(1).plus(Duration.ofMinutes(30))),
            new TaskStarted("n1"),
            new TaskFailed("n1", "x", success(false)),
            events.get(0));
    assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(after.attempts()).hasSize(1);
  }

  @Test
  void attempt_afterTheEnd_legacyOrStaleToken_isRejected() {
    Task failed = terminal(TaskStatus.FAILED);
    assertThat(
            rejected(
                when(
                    failed,
                    new TaskCommand.RecordAttempt(ID, attempt("a", "r", false), Fence.LEGACY))))
        .isEqualTo("Task t1 is failed: cannot record an attempt");
    assertThat(
            rejected(
                when(
                    failed,
                    new TaskCommand.RecordAttempt(
                        ID, attempt("a", "r", false), new Fence("n1", failed.claimToken() - 1)))))
        .isEqualTo("Task t1 is failed: cannot record an attempt");
  }

  // ---- settle (a plan or a session ends the task it did) ------------------------------------

  @Test
  void settle_completesAQueuedTask_inOneEvent() {
    JsonNode result = success(true);
    List<TaskEvent> events =
        accepted(
            when(
                queued(),
                new TaskCommand.Settle(
                    ID,
                    "collab:s1",
                    TaskCommand.Settle.Outcome.COMPLETE,
                    null,
                    result,
                    List.of())));
    assertThat(events).containsExactly(new TaskCompleted(null, result));
  }

  @Test
  void settle_failsOrReleasesAHeldTask_withTheReferenceSummaries() {
    assertThat(
            accepted(
                when(
                    running(),
                    new TaskCommand.Settle(
                        ID,
                        "collab:s1",
                        TaskCommand.Settle.Outcome.FAIL,
                        "too few",
                        null,
                        List.of()))))
        .containsExactly(
            new TaskFailed(null, "too few", json("{\"success\":false,\"summary\":\"too few\"}")));
    assertThat(
            accepted(
                when(
                    claimed(),
                    new TaskCommand.Settle(
                        ID,
                        "collab:s1",
                        TaskCommand.Settle.Outcome.RELEASE,
                        null,
                        null,
                        List.of()))))
        .containsExactly(
            new TaskReleased(
                null,
                null,
                json(
                    "{\"success\":false,\"summary\":\"released for human triage\","
                        + "\"released\":true}")));
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void settle_neverOverwritesATerminalState(TaskStatus s) {
    assertThat(
            rejected(
                when(
                    terminal(s),
                    new TaskCommand.Settle(
                        ID,
                        "plan:p1",
                        TaskCommand.Settle.Outcome.COMPLETE,
                        null,
                        success(true),
                        List.of()))))
        .isEqualTo("Task t1 is " + s.wire() + ": cannot be settled by plan:p1");
  }

  // ---- complete ------------------------------------------------------------------------------

  @Test
  void complete_withoutResult_defaultsTo_successTrue() {
    List<TaskEvent> events = accepted(when(running(), new TaskCommand.CompleteTask(ID, null, N1)));
    assertThat(events).containsExactly(new TaskCompleted("n1", success(true)));
  }

  @Test
  void complete_withJsonNullResult_defaultsTo_successTrue() {
    List<TaskEvent> events =
        accepted(
            when(
                running(),
                new TaskCommand.CompleteTask(ID, Json.mapper().nullNode(), Fence.LEGACY)));
    assertThat(events).containsExactly(new TaskCompleted(null, success(true)));
  }

  @Test
  void complete_keepsGivenResult() {
    ObjectNode r = Json.mapper().createObjectNode().put("success", true).put("summary", "done");
    assertThat(accepted(when(claimed(), new TaskCommand.CompleteTask(ID, r, N1))))
        .containsExactly(new TaskCompleted("n1", r));
  }

  @Test
  void complete_evolvesTo_completed_withResultAndCompletedAt() {
    Task t = terminal(TaskStatus.COMPLETED);
    assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(t.result()).isEqualTo(success(true));
    assertThat(t.completedAt()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void complete_onCancelled_isRejected() {
    assertThat(
            rejected(
                when(
                    terminal(TaskStatus.CANCELLED),
                    new TaskCommand.CompleteTask(ID, null, Fence.LEGACY))))
        .isEqualTo("Task t1 is cancelled: cannot complete");
  }

  @Test
  void complete_onQueued_isRejected() {
    assertThat(rejected(when(queued(), new TaskCommand.CompleteTask(ID, null, Fence.LEGACY))))
        .isEqualTo("Task t1 is queued: cannot complete");
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void complete_neverOverwrites_terminalState(TaskStatus s) {
    assertThat(rejected(when(terminal(s), new TaskCommand.CompleteTask(ID, null, N1))))
        .isEqualTo("Task t1 is " + s.wire() + ": cannot complete");
  }

  @Test
  void complete_byNonOwner_isRejected() {
    assertThat(
            rejected(when(running(), new TaskCommand.CompleteTask(ID, null, new Fence("n2", 2L)))))
        .isEqualTo("Task t1 is owned by n1, not n2");
  }

  @Test
  void complete_withStaleToken_isRejected() {
    assertThat(
            rejected(when(running(), new TaskCommand.CompleteTask(ID, null, new Fence("n1", 99L)))))
        .isEqualTo("Task t1 was re-claimed: claim token 99 is stale");
  }

  // ---- fail ----------------------------------------------------------------------------------

  @Test
  void fail_withoutReason_summaryIsUnknown() {
    List<TaskEvent> events =
        accepted(when(running(), new TaskCommand.FailTask(ID, null, List.of(), N1)));
    assertThat(events).hasSize(1);
    TaskFailed f = (TaskFailed) events.get(0);
    assertThat(f.reason()).isNull();
    assertThat(f.result()).isEqualTo(json("{\"success\":false,\"summary\":\"unknown\"}"));
  }

  @Test
  void fail_withReason_summaryIsReason() {
    TaskFailed f =
        (TaskFailed)
            accepted(when(running(), new TaskCommand.FailTask(ID, "broke", null, Fence.LEGACY)))
                .get(0);
    assertThat(f.reason()).isEqualTo("broke");
    assertThat(f.result()).isEqualTo(json("{\"success\":false,\"summary\":\"broke\"}"));
  }

  @Test
  void fail_addsNewAttempts_withoutWipingOrDuplicatingRecordedOnes() {
    Attempt recorded = attempt("a", "r1", false).withTimestamp(T0);
    Task t =
        given(
            new TaskSubmitted(spec()),
            new TaskClaimed("n1", T0.plus(Duration.ofMinutes(30))),
            new AttemptRecorded(recorded));
    Instant now = T0.plus(Duration.ofMinutes(2));
    Attempt fresh = attempt("b", "r2", true);
    List<TaskEvent> events =
        accepted(
            TaskDecider.decide(
                t,
                new TaskCommand.FailTask(ID, "x", List.of(attempt("a", "r1", false), fresh), N1),
                now));
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isEqualTo(new AttemptRecorded(fresh.withTimestamp(now)));
    assertThat(events.get(1)).isInstanceOf(TaskFailed.class);
    Task after = fold(t, events, now);
    assertThat(after.attempts()).containsExactly(recorded, fresh.withTimestamp(now));
    assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
  }

  @Test
  void fail_withoutAttempts_keepsRecordedOnes() {
    Attempt recorded = attempt("a", "r1", false).withTimestamp(T0);
    Task t =
        given(
            new TaskSubmitted(spec()),
            new TaskClaimed("n1", T0.plus(Duration.ofMinutes(30))),
            new AttemptRecorded(recorded));
    List<TaskEvent> events = accepted(when(t, new TaskCommand.FailTask(ID, null, List.of(), N1)));
    assertThat(fold(t, events, T0.plus(Duration.ofMinutes(1))).attempts())
        .containsExactly(recorded);
  }

  @Test
  void fail_keepsTimestampOfGivenAttempt() {
    Attempt stamped = attempt("c", "r", false).withTimestamp(T0.plusSeconds(30));
    List<TaskEvent> events =
        accepted(when(running(), new TaskCommand.FailTask(ID, null, List.of(stamped), N1)));
    assertThat(events.get(0)).isEqualTo(new AttemptRecorded(stamped));
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void fail_neverOverwrites_terminalState(TaskStatus s) {
    assertThat(
            rejected(
                when(terminal(s), new TaskCommand.FailTask(ID, null, List.of(), Fence.LEGACY))))
        .isEqualTo("Task t1 is " + s.wire() + ": cannot fail");
  }

  @Test
  void fail_byNonOwner_isRejected() {
    assertThat(
            rejected(
                when(
                    claimed(),
                    new TaskCommand.FailTask(ID, null, List.of(), new Fence("n2", null)))))
        .isEqualTo("Task t1 is owned by n1, not n2");
  }

  // ---- release -------------------------------------------------------------------------------

  @Test
  void release_withoutReason_defaultSummary_andReleasedFlag() {
    TaskReleased r =
        (TaskReleased)
            accepted(when(running(), new TaskCommand.ReleaseTask(ID, null, null, N1))).get(0);
    assertThat(r.result())
        .isEqualTo(
            json(
                "{\"success\":false,\"summary\":\"released for human triage\",\"released\":true}"));
  }

  @Test
  void release_withReason_summaryIsReason() {
    TaskReleased r =
        (TaskReleased)
            accepted(when(running(), new TaskCommand.ReleaseTask(ID, "stuck", List.of(), N1)))
                .get(0);
    assertThat(r.reason()).isEqualTo("stuck");
    assertThat(r.result())
        .isEqualTo(json("{\"success\":false,\"summary\":\"stuck\",\"released\":true}"));
  }

  @Test
  void release_evolvesTo_released_terminal() {
    Task t = terminal(TaskStatus.RELEASED);
    assertThat(t.status()).isEqualTo(TaskStatus.RELEASED);
    assertThat(t.status().isTerminal()).isTrue();
    assertThat(rejected(when(t, new TaskCommand.ClaimTask(ID, "n2"))))
        .isEqualTo("Task t1 is not queued (released)");
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void release_neverOverwrites_terminalState(TaskStatus s) {
    assertThat(
            rejected(when(terminal(s), new TaskCommand.ReleaseTask(ID, null, null, Fence.LEGACY))))
        .isEqualTo("Task t1 is " + s.wire() + ": cannot release");
  }

  // ---- cancel --------------------------------------------------------------------------------

  @Test
  void cancel_queued_withoutReason_summaryIsCancelled() {
    List<TaskEvent> events =
        accepted(when(queued(), new TaskCommand.CancelTask(ID, null, "client")));
    assertThat(events)
        .containsExactly(
            new TaskCancelled(
                "client", null, json("{\"success\":false,\"summary\":\"cancelled\"}")));
  }

  @Test
  void cancel_running_withReason_summaryIsReason() {
    TaskCancelled c =
        (TaskCancelled)
            accepted(when(running(), new TaskCommand.CancelTask(ID, "no longer needed", "ops")))
                .get(0);
    assertThat(c.result()).isEqualTo(json("{\"success\":false,\"summary\":\"no longer needed\"}"));
    assertThat(c.actor()).isEqualTo("ops");
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void cancel_neverOverwrites_terminalState(TaskStatus s) {
    assertThat(rejected(when(terminal(s), new TaskCommand.CancelTask(ID, null, "client"))))
        .isEqualTo("Task t1 is already " + s.wire());
  }

  // ---- budget timer --------------------------------------------------------------------------

  @Test
  void exceedBudget_pastDeadline_failsWithReferenceReason() {
    Instant claimedAt = T0.plusSeconds(1);
    Task t = claimed();
    Instant now = claimedAt.plus(Duration.ofMinutes(45)).plusSeconds(20);
    List<TaskEvent> events = accepted(TaskDecider.decide(t, new TaskCommand.ExceedBudget(ID), now));
    String reason = "Budget exceeded: 45m elapsed, 30m budget";
    assertThat(events)
        .containsExactly(
            new TaskBudgetExceeded(
                "n1", 45, 30, reason, json("{\"success\":false,\"summary\":\"" + reason + "\"}")));
    Task after = fold(t, events, now);
    assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(after.result().path("summary").asText()).isEqualTo(reason);
  }

  @Test
  void exceedBudget_onStateBuiltByHand_measuresFromClaimedAt() {
    Instant claimedAt = T0.plus(Duration.ofMinutes(10));
    Task t = claimedByHand("n7", 5, claimedAt, 1);
    List<TaskEvent> events =
        accepted(
            TaskDecider.decide(
                t, new TaskCommand.ExceedBudget(ID), claimedAt.plus(Duration.ofMinutes(2))));
    TaskBudgetExceeded b = (TaskBudgetExceeded) events.get(0);
    assertThat(b.owner()).isEqualTo("n7");
    assertThat(b.elapsedMinutes()).isEqualTo(2);
    assertThat(b.budgetMinutes()).isEqualTo(1);
    assertThat(b.reason()).isEqualTo("Budget exceeded: 2m elapsed, 1m budget");
  }

  @Test
  void exceedBudget_atOrBeforeDeadline_isRejected() {
    Task t = claimed();
    assertThat(
            rejected(TaskDecider.decide(t, new TaskCommand.ExceedBudget(ID), t.budgetDeadline())))
        .isEqualTo("Task t1 is within its budget");
  }

  @Test
  void exceedBudget_onRunning_isAccepted() {
    Task t = running();
    assertThat(
            accepted(
                TaskDecider.decide(
                    t, new TaskCommand.ExceedBudget(ID), t.budgetDeadline().plusMillis(1))))
        .hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void exceedBudget_onTerminal_isRejected(TaskStatus s) {
    assertThat(
            rejected(
                TaskDecider.decide(
                    terminal(s), new TaskCommand.ExceedBudget(ID), T0.plus(Duration.ofDays(1)))))
        .isEqualTo("Task t1 is within its budget");
  }

  // ---- stall timer ---------------------------------------------------------------------------

  @Test
  void releaseStalled_onRunning_releasesWithReferenceReason() {
    List<TaskEvent> events = accepted(when(running(), new TaskCommand.ReleaseStalled(ID, 7, 5)));
    String reason = "Stall detected: no agent heartbeat for 7m, alive check failed";
    assertThat(events)
        .containsExactly(
            new TaskStalled(
                "n1",
                7,
                5,
                reason,
                json("{\"success\":false,\"summary\":\"" + reason + "\",\"released\":true}")));
    assertThat(fold(running(), events, T0.plus(Duration.ofMinutes(1))).status())
        .isEqualTo(TaskStatus.RELEASED);
  }

  @Test
  void releaseStalled_onClaimed_isAccepted() {
    assertThat(accepted(when(claimed(), new TaskCommand.ReleaseStalled(ID, 6, 5)))).hasSize(1);
  }

  @Test
  void releaseStalled_onQueued_isRejected() {
    assertThat(rejected(when(queued(), new TaskCommand.ReleaseStalled(ID, 6, 5))))
        .isEqualTo("Task t1 is queued, not active");
  }

  @ParameterizedTest
  @MethodSource("terminalStates")
  void releaseStalled_onTerminal_isRejected(TaskStatus s) {
    assertThat(rejected(when(terminal(s), new TaskCommand.ReleaseStalled(ID, 6, 5))))
        .isEqualTo("Task t1 is " + s.wire() + ", not active");
  }

  // ---- hold for a plan (a plan was created for the queued task) ------------------------------

  @Test
  void holdForPlan_ofAnUntaggedQueuedTask_tagsIt_soNoWorkerClaimsIt() {
    // given a queued task submitted without the tag plan-parent
    Task t = queued();
    // when a plan is created for it
    List<TaskEvent> events = accepted(when(t, new TaskCommand.HoldForPlan(ID, "PLAN-t1-1")));
    // then it is held for the plan: tagged, still queued, and a claim is refused
    assertThat(events).containsExactly(new TaskEvent.TaskHeldForPlan("PLAN-t1-1"));
    Task after = fold(t, events, T0.plusSeconds(5));
    assertThat(after.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(after.tags()).endsWith(Task.PLAN_PARENT_TAG);
    assertThat(after.heldForPlan()).isTrue();
    assertThat(rejected(when(after, new TaskCommand.ClaimTask(ID, "n1"))))
        .isEqualTo("Task t1 is a plan's parent (tag plan-parent): its plan settles it");
    // and holding it again records nothing
    assertThat(accepted(when(after, new TaskCommand.HoldForPlan(ID, "PLAN-t1-2")))).isEmpty();
  }

  @Test
  void holdForPlan_ofATaskANodeHoldsOrThatEnded_isAConflict() {
    assertThat(rejected(when(claimed(), new TaskCommand.HoldForPlan(ID, "PLAN-t1-1"))))
        .isEqualTo(
            "Task t1 is claimed: only a queued task can become a plan's parent (submit it with"
                + " tag plan-parent)");
    assertThat(
            rejected(
                when(terminal(TaskStatus.RELEASED), new TaskCommand.HoldForPlan(ID, "PLAN-t1-1"))))
        .startsWith("Task t1 is released: ");
  }

  // ---- requeue (the holder was removed) -------------------------------------------------------

  @Test
  void requeue_ofTheRemovedHoldersTask_putsItBackInTheQueue_withNoClaimLeft() {
    Task t = running();
    List<TaskEvent> events =
        accepted(when(t, new TaskCommand.RequeueTask(ID, "n1", "alice", "disk failing")));
    assertThat(events).containsExactly(new TaskEvent.TaskRequeued("n1", "alice", "disk failing"));

    Task after = fold(t, events, T0.plusSeconds(30));
    assertThat(after.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(after.owner()).isNull();
    assertThat(after.claimToken()).isNull();
    assertThat(after.claimedAt()).isNull();
    assertThat(after.startedAt()).isNull();
    assertThat(after.budgetDeadline()).isNull();
    // The former owner's fenced commands are refused, and anyone may claim it again.
    assertThat(rejected(when(after, new TaskCommand.StartTask(ID, new Fence("n1", 2L)))))
        .isEqualTo("Task t1 is queued: cannot start");
    assertThat(accepted(when(after, new TaskCommand.ClaimTask(ID, "n2")))).hasSize(1);
  }

  @Test
  void requeue_ofATaskAnotherNodeHolds_orOfAQueuedOrEndedTask_isRefused() {
    assertThat(rejected(when(claimed(), new TaskCommand.RequeueTask(ID, "n9", "alice", null))))
        .isEqualTo("Task t1 is claimed, not held by node n9");
    assertThat(rejected(when(queued(), new TaskCommand.RequeueTask(ID, "n1", "alice", null))))
        .isEqualTo("Task t1 is queued, not held by node n1");
    assertThat(
            rejected(
                when(
                    terminal(TaskStatus.COMPLETED),
                    new TaskCommand.RequeueTask(ID, "n1", "alice", " "))))
        .isEqualTo("Task t1 is completed, not held by node n1");
  }

  // ---- evolver -------------------------------------------------------------------------------

  @Test
  void evolve_eventBeforeSubmit_isIllegal() {
    Envelope env = Envelope.wrap(new TaskStarted(null), ID, "test", "c", T0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TaskEvolver.evolve(null, new StoredEvent(1, "mesh.evt.task.t1", env)))
        .isInstanceOf(IllegalEventException.class);
  }

  @Test
  void evolve_submitTwice_isIllegal() {
    Envelope env = Envelope.wrap(new TaskSubmitted(spec()), ID, "test", "c", T0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TaskEvolver.evolve(queued(), new StoredEvent(2, "mesh.evt.task.t1", env)))
        .isInstanceOf(IllegalEventException.class);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Task fold(Task state, List<TaskEvent> events, Instant at) {
    Task t = state;
    long seq = state.version();
    for (TaskEvent e : new ArrayList<>(events)) {
      seq++;
      t =
          TaskEvolver.evolve(
              t,
              new StoredEvent(seq, "mesh.evt.task." + ID, Envelope.wrap(e, ID, "test", "c", at)));
    }
    return t;
  }

  private static JsonNode json(String s) {
    try {
      return Json.mapper().readTree(s);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
