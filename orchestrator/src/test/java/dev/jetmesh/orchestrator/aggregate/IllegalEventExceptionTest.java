package dev.jetmesh.orchestrator.aggregate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.collab.CollabEvolver;
import dev.jetmesh.orchestrator.plan.PlanEvolver;
import dev.jetmesh.orchestrator.task.TaskEvolver;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent.TaskStarted;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every aggregate's fold reports an event it cannot apply the same way: ours, not the caller's. */
class IllegalEventExceptionTest {
  private static StoredEvent stored(MeshEvent event, String subject) {
    return new StoredEvent(1, subject, Envelope.wrap(event, "x1", "test", "c", Instant.EPOCH));
  }

  @Test
  void task_eventOfUnknownTask_isIllegal_andInternal() {
    assertThatThrownBy(
            () -> TaskEvolver.evolve(null, stored(new TaskStarted("n1"), "mesh.evt.task.x1")))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("task.started for unknown task x1")
        .extracting(e -> ((IllegalEventException) e).code())
        .isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void plan_eventOfUnknownPlan_isIllegal_andInternal() {
    assertThatThrownBy(
            () -> PlanEvolver.evolve(null, stored(new PlanApproved("alice"), "mesh.evt.plan.x1")))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("plan.approved for unknown plan x1")
        .extracting(e -> ((IllegalEventException) e).code())
        .isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void collab_taskEvent_isIllegal_andInternal() {
    assertThatThrownBy(
            () -> CollabEvolver.evolve(null, stored(new TaskStarted("n1"), "mesh.evt.collab.x1")))
        .isInstanceOf(IllegalEventException.class)
        .hasMessage("not a collab event: task.started")
        .extracting(e -> ((IllegalEventException) e).code())
        .isEqualTo(ErrorCode.INTERNAL);
  }
}
