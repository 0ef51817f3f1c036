package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.plan.PlanGiven.PLAN;
import static dev.jetmesh.orchestrator.plan.PlanGiven.T0;
import static dev.jetmesh.orchestrator.plan.PlanGiven.created;
import static dev.jetmesh.orchestrator.plan.PlanGiven.deps;
import static dev.jetmesh.orchestrator.plan.PlanGiven.given;
import static dev.jetmesh.orchestrator.plan.PlanGiven.human;
import static dev.jetmesh.orchestrator.plan.PlanGiven.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanAborted;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.PlanEvent.PlanCompleted;
import dev.jetmesh.schema.events.PlanEvent.PlanExecutionStarted;
import dev.jetmesh.schema.events.PlanEvent.PlanSubmittedForReview;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.SubtaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given plan events, when folded by {@link PlanEvolver}, then the plan and its subtasks. */
class PlanEvolverTest {
  private static final Map<String, List<String>> CHAIN =
      deps("a", List.of(), "b", List.of("a"), "c", List.of("b"));

  private static List<PlanEvent> executing() {
    return new ArrayList<>(
        List.of(
            created(CHAIN, human(), true),
            new PlanSubmittedForReview(3, 30),
            new PlanApproved("bob"),
            new PlanExecutionStarted("bob"),
            new WaveDispatched(0, List.of("a")),
            new SubtaskDispatched("a", 0, "human", null)));
  }

  @Test
  void created_isADraft_withTheBudgetSummed_andTheWavesCounted() {
    Plan p = given(created(CHAIN, human(), true));
    assertThat(p.planId()).isEqualTo(PLAN);
    assertThat(p.status()).isEqualTo(PlanStatus.DRAFT);
    assertThat(p.totalBudgetMinutes()).isEqualTo(30);
    assertThat(p.estimatedWaves()).isEqualTo(3);
    assertThat(p.subtasks()).allMatch(s -> s.status() == SubtaskStatus.PENDING);
    assertThat(p.createdAt()).isEqualTo(T0);
  }

  @Test
  void review_approval_andStart_moveTheStatus_andRecordWhoAndWhen() {
    Plan p = given(executing());
    assertThat(p.status()).isEqualTo(PlanStatus.EXECUTING);
    assertThat(p.approvedBy()).isEqualTo("bob");
    assertThat(p.approvedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(p.startedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(p.subtask("a").status()).isEqualTo(SubtaskStatus.QUEUED);
    assertThat(p.version()).isEqualTo(6);
  }

  @Test
  void waveDispatched_countsTheWavesDispatched_beforeAnyOfItsSubtasksIs() {
    assertThat(given(created(CHAIN, human(), false)).wavesDispatched()).isZero();
    List<PlanEvent> e = executing();
    e.add(new SubtaskCompleted("a", null, "alice", null));
    e.add(new WaveDispatched(1, List.of("b")));
    Plan p = given(e);
    assertThat(p.wavesDispatched()).isEqualTo(2);
    assertThat(p.subtask("b").status()).isEqualTo(SubtaskStatus.PENDING);
  }

  @Test
  void aPlanRowWrittenBeforeWavesWereCounted_readsWithNone() {
    Plan p = given(executing());
    String doc = PlanProjector.write(p).replace(",\"waves_dispatched\":1", "");
    assertThat(doc).doesNotContain("waves_dispatched");
    assertThat(PlanProjector.read(doc).wavesDispatched()).isZero();
    assertThat(PlanProjector.read(doc).subtasks()).isEqualTo(p.subtasks());
  }

  @Test
  void subtaskOutcomes_setStatusOwnerAndResult_withAFailureResultByDefault() {
    List<PlanEvent> e = executing();
    e.add(new SubtaskCompleted("a", null, "alice", null));
    e.add(new SubtaskFailed("b", null, null, "carol", "no time", null));
    e.add(new SubtaskBlocked("c", "b", "Blocked: dependency b failed"));
    Plan p = given(e);
    assertThat(p.subtask("a").status()).isEqualTo(SubtaskStatus.COMPLETED);
    assertThat(p.subtask("a").owner()).isEqualTo("alice");
    assertThat(p.subtask("b").status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(p.subtask("b").result().toString())
        .isEqualTo("{\"success\":false,\"summary\":\"no time\"}");
    assertThat(p.subtask("c").status()).isEqualTo(SubtaskStatus.BLOCKED);
    assertThat(p.subtask("c").result().path("summary").asText())
        .isEqualTo("Blocked: dependency b failed");
  }

  @Test
  void completedAndAborted_endThePlan_atTheEventsTime() {
    List<PlanEvent> done = executing();
    done.add(new PlanCompleted(false, 0, 1, 2, "x"));
    Plan p = given(done);
    assertThat(p.status()).isEqualTo(PlanStatus.COMPLETED);
    assertThat(p.success()).isFalse();
    assertThat(p.completedAt()).isEqualTo(T0.plusSeconds(6));

    List<PlanEvent> aborted = executing();
    aborted.add(new PlanAborted("stop"));
    assertThat(given(aborted).abortReason()).isEqualTo("stop");
    assertThat(given(aborted).status()).isEqualTo(PlanStatus.ABORTED);
  }

  @Test
  void replay_foldsEveryEvent_likeEvolve() {
    List<PlanEvent> e = executing();
    List<dev.jetmesh.schema.events.StoredEvent> stored = new ArrayList<>();
    for (int i = 0; i < e.size(); i++) {
      stored.add(stored(e.get(i), i + 1, T0.plusSeconds(i)));
    }
    assertThat(PlanEvolver.replay(stored)).isEqualTo(given(e));
    assertThat(PlanEvolver.replay(List.of())).isNull();
  }

  @Test
  void illegalEvents_areRefused() {
    assertThatThrownBy(() -> PlanEvolver.evolve(null, stored(new PlanApproved("bob"), 1, T0)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("plan.approved for unknown plan " + PLAN);
    Plan p = given(created(CHAIN, human(), false));
    assertThatThrownBy(() -> PlanEvolver.evolve(p, stored(created(CHAIN, human(), false), 2, T0)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("plan " + PLAN + " created twice");
    assertThatThrownBy(
            () ->
                PlanEvolver.evolve(p, stored(new SubtaskCompleted("zz", null, null, null), 2, T0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
