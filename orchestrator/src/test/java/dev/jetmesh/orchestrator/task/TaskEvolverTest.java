package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.PlanEvent;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Given task events, when folded by {@link TaskEvolver}, then the task: the i-th event at {@link
 * #T0} + i seconds and stream sequence i + 1. The decisions themselves are in {@link
 * TaskDeciderTest}.
 */
class TaskEvolverTest {
  private static final String ID = "t1";
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant DEADLINE = T0.plusSeconds(1800);

  private static TaskSpec spec() {
    return TaskSpec.withDefaults(ID, "A task", "");
  }

  private static StoredEvent stored(dev.jetmesh.schema.events.MeshEvent e, int i) {
    return new StoredEvent(
        i + 1, "mesh.evt.task." + ID, Envelope.wrap(e, ID, "test", null, T0.plusSeconds(i)));
  }

  private static List<StoredEvent> stored(List<TaskEvent> events) {
    List<StoredEvent> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      out.add(stored(events.get(i), i));
    }
    return out;
  }

  private static Task given(TaskEvent... events) {
    return TaskEvolver.replay(stored(List.of(events)));
  }

  private static JsonNode result(String summary) {
    return Json.mapper().createObjectNode().put("summary", summary);
  }

  private static Attempt attempt(String approach) {
    return new Attempt(
        approach, "r", false, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  @Test
  void submitted_isQueued_atItsTime_withTheSpec() {
    Task t = given(new TaskSubmitted(spec()));
    assertThat(t.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(t.createdAt()).isEqualTo(T0);
    assertThat(t.title()).isEqualTo("A task");
    assertThat(t.version()).isEqualTo(1);
  }

  @Test
  void claimed_setsOwnerClaimTimeAndDeadline_andTheClaimTokenIsTheClaimsSequence() {
    Task t = given(new TaskSubmitted(spec()), new TaskClaimed("n1", DEADLINE));
    assertThat(t.status()).isEqualTo(TaskStatus.CLAIMED);
    assertThat(t.owner()).isEqualTo("n1");
    assertThat(t.claimedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(t.budgetDeadline()).isEqualTo(DEADLINE);
    assertThat(t.claimToken()).isEqualTo(2L);
    assertThat(t.version()).isEqualTo(2);
  }

  @Test
  void started_isRunning_andAttemptsAreAppendedInOrder() {
    Task t =
        given(
            new TaskSubmitted(spec()),
            new TaskClaimed("n1", DEADLINE),
            new TaskStarted("n1"),
            new AttemptRecorded(attempt("first")),
            new AttemptRecorded(attempt("second")));
    assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(t.startedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(t.attempts()).extracting(Attempt::approach).containsExactly("first", "second");
    assertThat(t.claimToken()).as("only a claim changes the token").isEqualTo(2L);
  }

  static Stream<Arguments> endings() {
    return Stream.of(
        Arguments.of(new TaskCompleted("n1", result("done")), TaskStatus.COMPLETED),
        Arguments.of(new TaskFailed("n1", "x", result("x")), TaskStatus.FAILED),
        Arguments.of(new TaskReleased("n1", "x", result("x")), TaskStatus.RELEASED),
        Arguments.of(new TaskCancelled("client", "x", result("x")), TaskStatus.CANCELLED),
        Arguments.of(new TaskBudgetExceeded("n1", 31, 30, "x", result("x")), TaskStatus.FAILED),
        Arguments.of(new TaskStalled("n1", 6, 5, "x", result("x")), TaskStatus.RELEASED));
  }

  @ParameterizedTest
  @MethodSource("endings")
  void everyEnding_setsItsStatus_theResult_andTheEndTime(TaskEvent ending, TaskStatus status) {
    Task t =
        given(
            new TaskSubmitted(spec()),
            new TaskClaimed("n1", DEADLINE),
            new TaskStarted("n1"),
            ending);
    assertThat(t.status()).isEqualTo(status);
    assertThat(t.status().isTerminal()).isTrue();
    assertThat(t.completedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(t.result().path("summary").asText()).isNotEmpty();
    assertThat(t.owner()).as("the owner is kept for the record").isEqualTo("n1");
  }

  @Test
  void replay_ofNothing_isNull_andOfEvents_isTheirFold() {
    assertThat(TaskEvolver.replay(List.of())).isNull();
    List<StoredEvent> e =
        stored(List.of(new TaskSubmitted(spec()), new TaskClaimed("n1", DEADLINE)));
    assertThat(TaskEvolver.replay(e))
        .isEqualTo(TaskEvolver.evolve(TaskEvolver.evolve(null, e.get(0)), e.get(1)));
  }

  @Test
  void illegalEvents_areRefused() {
    assertThatThrownBy(() -> TaskEvolver.evolve(null, stored(new TaskStarted("n1"), 0)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("task.started for unknown task " + ID);
    Task t = given(new TaskSubmitted(spec()));
    assertThatThrownBy(() -> TaskEvolver.evolve(t, stored(new TaskSubmitted(spec()), 1)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("task " + ID + " submitted twice");
    assertThatThrownBy(
            () -> TaskEvolver.evolve(t, stored(new PlanEvent.PlanExecutionStarted("x"), 1)))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("not a task event: plan.execution_started");
  }
}
