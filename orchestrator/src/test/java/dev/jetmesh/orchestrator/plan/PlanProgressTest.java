package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.plan.PlanGiven.deps;
import static dev.jetmesh.orchestrator.plan.PlanGiven.executing;
import static dev.jetmesh.orchestrator.plan.PlanGiven.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Given an executing plan and the mesh tasks of its subtasks as projected, when the reactor asks
 * {@link PlanProgress#decide}, then the steps it takes, each with the key its event ids come from.
 */
class PlanProgressTest {
  /** a and d in wave 0, b after a (wave 1), c after b (wave 2). */
  private static final Map<String, List<String>> CHAIN =
      deps("a", List.of(), "b", List.of("a"), "c", List.of("b"), "d", List.of());

  private static Plan afterSteps(Plan p, List<PlanProgress.Step> steps) {
    for (PlanProgress.Step s : steps) {
      p = PlanProgress.apply(p, s.events());
    }
    return p;
  }

  @Test
  void waveCutShortByACrash_dispatchesTheRestAtOnce_withoutASecondWaveEvent() {
    // A crash after the wave's first two appends: wave_dispatched(0, [a, d]) and a's dispatch.
    Plan halfDone =
        PlanProgress.apply(
            executing(CHAIN),
            List.of(
                new WaveDispatched(0, List.of("a", "d")),
                new SubtaskDispatched("a", 0, "solo_mesh", "a")));

    List<PlanProgress.Step> steps = PlanProgress.decide(halfDone, Map.of());

    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).events())
        .containsExactly(new SubtaskDispatched("d", 0, "solo_mesh", "d"));
  }

  @Test
  void crashRightAfterTheWaveEvent_dispatchesItsSubtasks_withoutASecondWaveEvent() {
    // A crash after the wave's first append only: no subtask of it shows as dispatched.
    Plan waveOnly =
        PlanProgress.apply(executing(CHAIN), List.of(new WaveDispatched(0, List.of("a", "d"))));

    List<PlanProgress.Step> steps = PlanProgress.decide(waveOnly, Map.of());

    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).events())
        .containsExactly(
            new SubtaskDispatched("a", 0, "solo_mesh", "a"),
            new SubtaskDispatched("d", 0, "solo_mesh", "d"));
  }

  @Test
  void crashRightAfterALaterWaveEvent_dispatchesItsSubtask_withoutASecondWaveEvent() {
    Plan p = afterSteps(executing(CHAIN), PlanProgress.decide(executing(CHAIN), Map.of()));
    Map<String, Task> done =
        Map.of("a", task("a", TaskStatus.COMPLETED), "d", task("d", TaskStatus.COMPLETED));
    List<PlanProgress.Step> outcomes =
        PlanProgress.decide(p, done).stream().filter(s -> !s.key().startsWith("wave:")).toList();
    Plan waveOnly =
        PlanProgress.apply(afterSteps(p, outcomes), List.of(new WaveDispatched(1, List.of("b"))));

    assertThat(PlanProgress.decide(waveOnly, done))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.events())
                    .containsExactly(new SubtaskDispatched("b", 1, "solo_mesh", "b")));
  }

  @Test
  void executingPlan_dispatchesWave0_asMeshTasks() {
    List<PlanProgress.Step> steps = PlanProgress.decide(executing(CHAIN), Map.of());
    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).key()).isEqualTo("wave:0");
    assertThat(steps.get(0).events())
        .containsExactly(
            new WaveDispatched(0, List.of("a", "d")),
            new SubtaskDispatched("a", 0, "solo_mesh", "a"),
            new SubtaskDispatched("d", 0, "solo_mesh", "d"));
  }

  @Test
  void nothingHappens_whileASubtaskIsInFlight() {
    Plan p = afterSteps(executing(CHAIN), PlanProgress.decide(executing(CHAIN), Map.of()));
    Map<String, Task> tasks = new HashMap<>();
    tasks.put("a", task("a", TaskStatus.COMPLETED));
    tasks.put("d", task("d", TaskStatus.RUNNING));
    List<PlanProgress.Step> steps = PlanProgress.decide(p, tasks);
    assertThat(steps).extracting(PlanProgress.Step::key).containsExactly("subtask:a:completed");
    SubtaskCompleted c = (SubtaskCompleted) steps.get(0).events().get(0);
    assertThat(c.meshTaskId()).isEqualTo("a");
    assertThat(c.owner()).isEqualTo("n1");
  }

  @Test
  void finishedWave_releasesTheNextWave_inTheSamePass() {
    Plan p = afterSteps(executing(CHAIN), PlanProgress.decide(executing(CHAIN), Map.of()));
    Map<String, Task> tasks =
        Map.of("a", task("a", TaskStatus.COMPLETED), "d", task("d", TaskStatus.COMPLETED));
    assertThat(PlanProgress.decide(p, tasks))
        .extracting(PlanProgress.Step::key)
        .containsExactly("subtask:a:completed", "subtask:d:completed", "wave:1");
  }

  @Test
  void failedTask_failsItsSubtask_andBlocksItsDependents_thenThePlanCompletesUnsuccessfully() {
    Plan p = afterSteps(executing(CHAIN), PlanProgress.decide(executing(CHAIN), Map.of()));
    Map<String, Task> tasks =
        Map.of("a", task("a", TaskStatus.FAILED), "d", task("d", TaskStatus.COMPLETED));
    List<PlanProgress.Step> steps = PlanProgress.decide(p, tasks);
    assertThat(steps)
        .extracting(PlanProgress.Step::key)
        .containsExactly("subtask:a:failed", "subtask:d:completed", "completed");
    List<PlanEvent> failed = steps.get(0).events();
    SubtaskFailed f = (SubtaskFailed) failed.get(0);
    assertThat(f.taskStatus()).isEqualTo("failed");
    assertThat(f.reason()).isEqualTo("broke a");
    assertThat(failed.subList(1, failed.size()))
        .containsExactly(
            new SubtaskBlocked("b", "a", "Blocked: dependency a failed"),
            new SubtaskBlocked("c", "a", "Blocked: dependency a failed"));
    assertThat(steps.get(2).events())
        .containsExactly(
            new PlanCompleted(
                false,
                1,
                1,
                2,
                "Plan "
                    + PlanGiven.PLAN
                    + " completed: 1 of 4 subtasks succeeded (1 failed, 2 blocked)"));
  }

  @Test
  void lastSubtaskCompleted_completesThePlanSuccessfully() {
    Plan p = executing(deps("a", List.of()));
    p = afterSteps(p, PlanProgress.decide(p, Map.of()));
    List<PlanProgress.Step> steps =
        PlanProgress.decide(p, Map.of("a", task("a", TaskStatus.COMPLETED)));
    PlanCompleted c = (PlanCompleted) steps.get(steps.size() - 1).events().get(0);
    assertThat(c.success()).isTrue();
    assertThat(c.summary()).isEqualTo("Plan " + PlanGiven.PLAN + " completed (1 subtasks)");
    assertThat(afterSteps(p, steps).status().wire()).isEqualTo("completed");
  }

  @Test
  void planNotExecuting_hasNoSteps() {
    Plan review =
        PlanGiven.given(
            PlanGiven.created(CHAIN, PlanGiven.mesh(), true),
            new PlanEvent.PlanSubmittedForReview(4, 40));
    assertThat(PlanProgress.decide(review, Map.of())).isEmpty();
  }
}
