package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.task.TaskCommand.Fence;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.events.TaskEvent.AttemptRecorded;
import dev.jetmesh.schema.events.TaskEvent.TaskClaimed;
import dev.jetmesh.schema.events.TaskEvent.TaskFailed;
import dev.jetmesh.schema.events.TaskEvent.TaskStarted;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Given/when/then tests of the money budget in the pure task decider: the attempt whose cost makes
 * the known spend reach {@code budget_usd} fails the task ({@code budget_exceeded}) in the same
 * append, unless it was kept; a start over budget is refused with {@link
 * ErrorCode#BUDGET_EXCEEDED}, and so is every command on a task that failed for its budget. Sums
 * are exact; unknown costs never count as 0.
 */
class TaskMoneyBudgetTest {
  private static final String ID = "t1";
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Fence N1 = new Fence("n1", 2L);

  // ---- given ---------------------------------------------------------------------------------

  private static TaskSpec spec(String budgetUsd) {
    TaskSpec.Mutable m = TaskSpec.withDefaults(ID, "A task", "").toMutable();
    m.metric = "make test";
    m.llmProvider = "claude";
    m.budgetUsd = budgetUsd == null ? null : new BigDecimal(budgetUsd);
    return m.build();
  }

  private static Attempt costing(int n, String usd, boolean keep) {
    return new Attempt(
        "attempt " + n,
        keep ? "passed" : "failed",
        keep,
        T0,
        n,
        "n1",
        "claude",
        null,
        0,
        keep,
        null,
        1000L,
        usd == null ? null : new BigDecimal(usd),
        null,
        null);
  }

  /** Running on n1 (claim token 2), with these attempts recorded, one second apart. */
  private static Task running(String budgetUsd, Attempt... attempts) {
    List<TaskEvent> events = new ArrayList<>();
    events.add(new TaskSubmitted(spec(budgetUsd)));
    events.add(new TaskClaimed("n1", T0.plus(Duration.ofMinutes(30))));
    events.add(new TaskStarted("n1"));
    for (Attempt a : attempts) {
      events.add(new AttemptRecorded(a));
    }
    return given(events);
  }

  private static Task given(List<TaskEvent> events) {
    Task t = null;
    for (int i = 0; i < events.size(); i++) {
      Envelope env = Envelope.wrap(events.get(i), ID, "test", "c", T0.plusSeconds(i));
      t = TaskEvolver.evolve(t, new StoredEvent(i + 1, "mesh.evt.task." + ID, env));
    }
    return t;
  }

  // ---- when/then helpers -----------------------------------------------------------------------

  private static final Instant NOW = T0.plus(Duration.ofMinutes(1));

  private static Decision<TaskEvent> when(Task state, TaskCommand c) {
    return TaskDecider.decide(state, c, NOW);
  }

  private static List<TaskEvent> accepted(Decision<TaskEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Accept.class);
    return ((Decision.Accept<TaskEvent>) d).events();
  }

  private static Decision.Reject<TaskEvent> rejected(Decision<TaskEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Reject.class);
    return (Decision.Reject<TaskEvent>) d;
  }

  private static TaskCommand record(Attempt a) {
    return new TaskCommand.RecordAttempt(ID, a, N1);
  }

  private static TaskFailed budgetFailure(List<TaskEvent> events) {
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(AttemptRecorded.class);
    assertThat(events.get(1)).isInstanceOf(TaskFailed.class);
    return (TaskFailed) events.get(1);
  }

  // ---- the attempt that reaches the budget ---------------------------------------------------

  @Test
  void attemptReachingTheBudgetExactly_failsTheTask_inTheSameAppend() {
    Task t = running("0.025", costing(1, "0.0125", false));
    TaskFailed f = budgetFailure(accepted(when(t, record(costing(2, "0.0125", false)))));
    assertThat(f.nodeId()).as("decided by the orchestrator").isNull();
    assertThat(f.reason()).isEqualTo("budget_exceeded");
    assertThat(f.result().path("summary").asText())
        .isEqualTo("Budget exceeded: $0.0250 spent of $0.025 budget_usd");
    assertThat(f.result().path("spent_usd").decimalValue()).isEqualByComparingTo("0.025");
    assertThat(f.result().path("budget_usd").decimalValue()).isEqualByComparingTo("0.025");
  }

  @Test
  void attemptJustUnderTheBudget_isOnlyRecorded() {
    Task t = running("0.025", costing(1, "0.0125", false));
    assertThat(accepted(when(t, record(costing(2, "0.0124999999", false)))))
        .singleElement()
        .isInstanceOf(AttemptRecorded.class);
  }

  @Test
  void sumIsExact_tenAttemptsOfATenthReachAOneDollarBudget_onTheTenth() {
    Attempt[] nine = new Attempt[9];
    for (int i = 0; i < 9; i++) {
      nine[i] = costing(i + 1, "0.1", false);
    }
    Task t = running("1", nine);
    budgetFailure(accepted(when(t, record(costing(10, "0.1", false)))));
    Task eight = running("1", java.util.Arrays.copyOf(nine, 8));
    assertThat(accepted(when(eight, record(costing(9, "0.1", false))))).hasSize(1);
  }

  @Test
  void keptAttempt_overTheBudget_isRecorded_andTheTaskCanStillComplete() {
    Task t = running("0.02", costing(1, "0.015", false));
    List<TaskEvent> events = accepted(when(t, record(costing(2, "0.015", true))));
    assertThat(events).singleElement().isInstanceOf(AttemptRecorded.class);
    Task after = given(concat(t, events));
    assertThat(accepted(when(after, new TaskCommand.CompleteTask(ID, null, N1)))).hasSize(1);
  }

  @Test
  void noBudget_neverFails_whateverTheSpend() {
    Task t = running(null, costing(1, "500", false));
    assertThat(accepted(when(t, record(costing(2, "500", false))))).hasSize(1);
  }

  // ---- unknown costs ----------------------------------------------------------------------------

  @Test
  void unknownCosts_neverCountAsZero_orAsAnything_andAreNamedInTheFailure() {
    Task t = running("0.03", costing(1, null, false), costing(2, "0.02", false));
    assertThat(accepted(when(t, record(costing(3, null, false)))))
        .as("two unknown and $0.02 known: under $0.03")
        .hasSize(1);
    TaskFailed f = budgetFailure(accepted(when(t, record(costing(3, "0.01", false)))));
    assertThat(f.result().path("summary").asText())
        .isEqualTo(
            "Budget exceeded: $0.03 spent of $0.03 budget_usd (1 run of unknown cost not"
                + " counted)");
    assertThat(f.result().path("unknown_cost_runs").asInt()).isEqualTo(1);
  }

  @Test
  void onlyUnknownCosts_leaveTheBudgetUnenforced() {
    Task t = running("0.000001", costing(1, null, false), costing(2, null, false));
    assertThat(accepted(when(t, record(costing(3, null, false))))).hasSize(1);
    assertThat(accepted(when(t, new TaskCommand.StartTask(ID, N1)))).isEmpty();
  }

  // ---- refusals the worker stops on ---------------------------------------------------------

  @Test
  void start_ofTheNextAttempt_overBudget_isRefused_withBudgetExceeded() {
    // a kept attempt crossed the budget without failing the task; a further start is refused
    Task t = running("0.02", costing(1, "0.02", true));
    Decision.Reject<TaskEvent> r = rejected(when(t, new TaskCommand.StartTask(ID, N1)));
    assertThat(r.code()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
    assertThat(r.error())
        .isEqualTo(
            "Task t1 has spent its budget: Budget exceeded: $0.02 spent of $0.02 budget_usd;"
                + " no further attempt may start");
  }

  @Test
  void start_underBudget_isAccepted_andRecordsNothingOnARunningTask() {
    Task t = running("0.02", costing(1, "0.0199", false));
    assertThat(accepted(when(t, new TaskCommand.StartTask(ID, N1)))).isEmpty();
  }

  @Test
  void everyCommand_onATaskFailedForItsBudget_isRefused_withBudgetExceeded_andTheUsualText() {
    Task t = running("0.01", costing(1, "0.01", false));
    List<TaskEvent> failing = accepted(when(t, record(costing(2, "0.01", false))));
    Task failed = given(concat(running("0.01", costing(1, "0.01", false)), failing));
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    for (TaskCommand c :
        List.of(
            new TaskCommand.StartTask(ID, N1),
            new TaskCommand.CompleteTask(ID, null, N1),
            new TaskCommand.ReleaseTask(ID, "x", List.of(), N1),
            new TaskCommand.FailTask(ID, "x", List.of(), N1))) {
      Decision.Reject<TaskEvent> r = rejected(when(failed, c));
      assertThat(r.code()).as(c.toString()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
      assertThat(r.error()).startsWith("Task t1 is failed: cannot ");
    }
  }

  @Test
  void aTaskFailedForAnotherReason_underBudget_isRefusedWithConflict() {
    Task t = running("5", costing(1, "0.01", false));
    List<TaskEvent> fail = accepted(when(t, new TaskCommand.FailTask(ID, "red", List.of(), N1)));
    Task failed = given(concat(t, fail));
    assertThat(rejected(when(failed, new TaskCommand.StartTask(ID, N1))).code())
        .isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void lateReport_ofTheFinalClaim_isRecorded_withoutASecondFailure() {
    Task t = running("0.01", costing(1, "0.01", false));
    Task failed = given(concat(t, accepted(when(t, record(costing(2, "0.01", false))))));
    assertThat(accepted(when(failed, record(costing(3, "0.01", false)))))
        .singleElement()
        .isInstanceOf(AttemptRecorded.class);
  }

  @Test
  void settle_recordsTheSessionsRounds_asAttempts_beforeTheOutcome_inOneAppend() {
    Task t = running("0.05");
    List<Attempt> rounds = List.of(costing(1, "0.03", false), costing(2, "0.02", false));
    List<TaskEvent> events =
        accepted(
            when(
                t,
                new TaskCommand.Settle(
                    ID,
                    "collab:s1",
                    TaskCommand.Settle.Outcome.FAIL,
                    "budget_exceeded",
                    null,
                    rounds)));
    assertThat(events).hasSize(3);
    assertThat(events.get(0)).isEqualTo(new AttemptRecorded(rounds.get(0)));
    assertThat(((TaskFailed) events.get(2)).reason()).isEqualTo("budget_exceeded");
    Task settled = given(concat(t, events));
    assertThat(dev.jetmesh.schema.model.Spend.of(settled.attempts()).knownUsd())
        .isEqualByComparingTo("0.05");
  }

  /** The events that folded into {@code t} (rebuilt) followed by {@code more}. */
  private static List<TaskEvent> concat(Task t, List<TaskEvent> more) {
    List<TaskEvent> events = new ArrayList<>();
    events.add(new TaskSubmitted(spec(t.budgetUsd() == null ? null : t.budgetUsd().toString())));
    events.add(new TaskClaimed("n1", T0.plus(Duration.ofMinutes(30))));
    events.add(new TaskStarted("n1"));
    t.attempts().forEach(a -> events.add(new AttemptRecorded(a)));
    events.addAll(more);
    return events;
  }
}
