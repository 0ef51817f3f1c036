package dev.jetmesh.orchestrator.plan;

import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.wire.PlanRequests.PlanNotification;
import java.util.List;

/**
 * Publishes the reference's {@code mesh.events.plan.<t>} notifications ({@code created, approved,
 * wave_started, subtask_completed, completed, aborted}) after events are stored. At-most-once, like
 * the reference; the stream is the durable record. Thread-safe.
 */
public final class PlanNotifier {
  private final MeshBus bus;

  public PlanNotifier(MeshBus bus) {
    this.bus = bus;
  }

  /** Notifies each of {@code appended}, with {@code plan} the state after all of them. */
  public void notify(List<StoredEvent> appended, Plan plan) {
    for (StoredEvent se : appended) {
      String type =
          switch ((PlanEvent) se.event()) {
            case PlanEvent.PlanCreated x -> "created";
            case PlanEvent.PlanApproved x -> "approved";
            case PlanEvent.WaveDispatched x -> "wave_started";
            case PlanEvent.SubtaskCompleted x -> "subtask_completed";
            case PlanEvent.PlanCompleted x -> "completed";
            case PlanEvent.PlanAborted x -> "aborted";
            case PlanEvent.PlanSubmittedForReview x -> null;
            case PlanEvent.PlanExecutionStarted x -> null;
            case PlanEvent.SubtaskDispatched x -> null;
            case PlanEvent.SubtaskFailed x -> null;
            case PlanEvent.SubtaskBlocked x -> null;
          };
      if (type == null) {
        continue;
      }
      PlanNotification n =
          new PlanNotification(
              type, plan.planId(), plan.parentTaskId(), plan, se.envelope().occurredAt());
      bus.publish(Subjects.planNotification(type), n);
    }
  }
}
