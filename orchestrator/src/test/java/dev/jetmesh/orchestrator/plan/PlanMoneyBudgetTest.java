package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.plan.PlanGiven.created;
import static dev.jetmesh.orchestrator.plan.PlanGiven.deps;
import static dev.jetmesh.orchestrator.plan.PlanGiven.given;
import static dev.jetmesh.orchestrator.plan.PlanGiven.mesh;
import static dev.jetmesh.orchestrator.plan.PlanGiven.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanAborted;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Given a plan with a {@code budget_usd} shared by its subtasks and the mesh tasks that ran them,
 * when the reactor asks {@link PlanProgress#decide}, then no wave is dispatched once the known
 * spend has reached the budget: the plan is aborted ({@code budget_exceeded}) and the remaining
 * subtasks are blocked. Each dispatched subtask's task gets what is left of the budget.
 */
class PlanMoneyBudgetTest {
  /** a in wave 0, b after a (wave 1). */
  private static final Map<String, List<String>> TWO = deps("a", List.of(), "b", List.of("a"));

  private static Plan executing(String budgetUsd) {
    PlanCreated c = created(TWO, mesh(), false);
    PlanCreated withBudget =
        new PlanCreated(
            c.parentTaskId(),
            c.title(),
            c.description(),
            c.planner(),
            c.plannerSoul(),
            c.requiresApproval(),
            c.subtasks(),
            budgetUsd == null ? null : new BigDecimal(budgetUsd));
    return given(withBudget, new PlanEvent.PlanExecutionStarted("orchestrator"));
  }

  /** The plan after wave 0 (a) was dispatched. */
  private static Plan waveZeroDispatched(String budgetUsd) {
    Plan p = executing(budgetUsd);
    for (PlanProgress.Step s : PlanProgress.decide(p, Map.of())) {
      p = PlanProgress.apply(p, s.events());
    }
    return p;
  }

  /** The mesh task {@code id} completed, with attempts of these costs (null: unknown). */
  private static Task completedCosting(String id, String... usd) {
    Task t = task(id, TaskStatus.COMPLETED);
    Task.Mutable m = t.toMutable();
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < usd.length; i++) {
      attempts.add(
          new Attempt(
              "a",
              "r",
              i == usd.length - 1,
              null,
              i + 1,
              "n1",
              "claude",
              null,
              0,
              null,
              null,
              1L,
              usd[i] == null ? null : new BigDecimal(usd[i]),
              null,
              null));
    }
    m.attempts = attempts;
    return m.build();
  }

  private static List<String> keys(List<PlanProgress.Step> steps) {
    return steps.stream().map(PlanProgress.Step::key).toList();
  }

  @Test
  void spendReachingTheBudgetExactly_abortsThePlan_insteadOfTheNextWave() {
    Plan p = waveZeroDispatched("0.5");
    List<PlanProgress.Step> steps =
        PlanProgress.decide(p, Map.of("a", completedCosting("a", "0.25", "0.25")));
    assertThat(keys(steps)).containsExactly("subtask:a:completed", "budget_exceeded");
    List<PlanEvent> abort = steps.get(1).events();
    assertThat(abort)
        .containsExactly(
            new PlanAborted("budget_exceeded: Budget exceeded: $0.50 spent of $0.5 budget_usd"),
            new SubtaskBlocked(
                "b",
                null,
                "Plan aborted: budget_exceeded: Budget exceeded: $0.50 spent of $0.5 budget_usd"));
    Plan after = PlanProgress.apply(PlanProgress.apply(p, steps.get(0).events()), abort);
    assertThat(after.status()).isEqualTo(PlanStatus.ABORTED);
  }

  @Test
  void spendJustUnderTheBudget_dispatchesTheNextWave_withWhatIsLeft() {
    Plan p = waveZeroDispatched("0.5");
    Map<String, Task> tasks = Map.of("a", completedCosting("a", "0.25", "0.2499"));
    List<PlanProgress.Step> steps = PlanProgress.decide(p, tasks);
    assertThat(keys(steps)).containsExactly("subtask:a:completed", "wave:1");
    Plan after = p;
    for (PlanProgress.Step s : steps) {
      after = PlanProgress.apply(after, s.events());
    }
    assertThat(PlanProgress.remaining(after, tasks)).isEqualByComparingTo("0.0001");
    TaskSpec b =
        PlanReactor.spec(after, after.subtask("b"), null, PlanProgress.remaining(after, tasks));
    assertThat(b.budgetUsd()).isEqualByComparingTo("0.0001");
  }

  @Test
  void unknownCosts_doNotCount_andDoNotStopThePlan() {
    Plan p = waveZeroDispatched("0.5");
    Map<String, Task> tasks = Map.of("a", completedCosting("a", null, null, "0.49"));
    assertThat(keys(PlanProgress.decide(p, tasks)))
        .containsExactly("subtask:a:completed", "wave:1");
    assertThat(PlanProgress.spent(p, tasks).unknown()).isEqualTo(2);
  }

  @Test
  void withoutABudget_theSpendNeverStopsThePlan() {
    Plan p = waveZeroDispatched(null);
    Map<String, Task> tasks = Map.of("a", completedCosting("a", "900"));
    assertThat(keys(PlanProgress.decide(p, tasks)))
        .containsExactly("subtask:a:completed", "wave:1");
    assertThat(PlanProgress.remaining(p, tasks)).isNull();
  }

  @Test
  void lastWaveOverBudget_stillCompletesThePlan_nothingIsLeftToDispatch() {
    Plan afterA = waveZeroDispatched("0.1");
    for (PlanProgress.Step s :
        PlanProgress.decide(afterA, Map.of("a", completedCosting("a", "0.05")))) {
      afterA = PlanProgress.apply(afterA, s.events());
    }
    Map<String, Task> both =
        Map.of("a", completedCosting("a", "0.05"), "b", completedCosting("b", "0.5"));
    assertThat(keys(PlanProgress.decide(afterA, both)))
        .containsExactly("subtask:b:completed", "completed");
  }
}
