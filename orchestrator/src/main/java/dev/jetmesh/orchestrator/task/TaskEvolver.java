package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.aggregate.IllegalEventException;
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
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Folds task events into a {@link Task}. The command side and the projector use this same function,
 * so the read model cannot disagree with what commands decide from.
 */
public final class TaskEvolver {
  private TaskEvolver() {}

  /** The state after all {@code events}, or null when there are none. */
  public static @Nullable Task replay(List<StoredEvent> events) {
    Task t = null;
    for (StoredEvent e : events) {
      t = evolve(t, e);
    }
    return t;
  }

  /**
   * The state after {@code stored}. {@code state} is null before {@code task.submitted}.
   *
   * @throws IllegalEventException when the event cannot follow the state
   */
  public static Task evolve(@Nullable Task state, StoredEvent stored) {
    if (!(stored.event() instanceof TaskEvent event)) {
      throw new IllegalEventException("not a task event: " + stored.envelope().type());
    }
    Instant at = stored.envelope().occurredAt();
    long seq = stored.seq();
    if (event instanceof TaskSubmitted s) {
      if (state != null) {
        throw new IllegalEventException("task " + state.taskId() + " submitted twice");
      }
      return Task.queued(s.task(), at, seq);
    }
    if (state == null) {
      throw new IllegalEventException(
          stored.envelope().type() + " for unknown task " + stored.envelope().aggregateId());
    }
    Task.Mutable m = state.toMutable();
    m.version = seq;
    switch (event) {
      case TaskSubmitted s -> throw new AssertionError("handled above");
      case TaskClaimed c -> {
        m.status = TaskStatus.CLAIMED;
        m.owner = c.nodeId();
        m.claimedAt = at;
        m.budgetDeadline = c.budgetDeadline();
        m.claimToken = seq;
      }
      case TaskStarted s -> {
        m.status = TaskStatus.RUNNING;
        m.startedAt = at;
      }
      case AttemptRecorded a -> m.attempts.add(a.attempt());
      case TaskCompleted c -> finish(m, TaskStatus.COMPLETED, c.result(), at);
      case TaskFailed f -> finish(m, TaskStatus.FAILED, f.result(), at);
      case TaskReleased r -> finish(m, TaskStatus.RELEASED, r.result(), at);
      case TaskCancelled c -> finish(m, TaskStatus.CANCELLED, c.result(), at);
      case TaskBudgetExceeded b -> finish(m, TaskStatus.FAILED, b.result(), at);
      case TaskStalled s -> finish(m, TaskStatus.RELEASED, s.result(), at);
      case TaskEvent.TaskHeldForPlan h -> {
        if (!state.heldForPlan()) {
          m.tags = append(state.tags(), Task.PLAN_PARENT_TAG);
        }
      }
      case TaskEvent.TaskRequeued r -> {
        // Back to how a queued task looks: the claim, and everything it started, is over.
        m.status = TaskStatus.QUEUED;
        m.owner = null;
        m.claimToken = null;
        m.claimedAt = null;
        m.startedAt = null;
        m.budgetDeadline = null;
        m.lastActivity = null;
      }
    }
    return m.build();
  }

  private static List<String> append(List<String> list, String item) {
    List<String> out = new ArrayList<>(list);
    out.add(item);
    return List.copyOf(out);
  }

  private static void finish(
      Task.Mutable m,
      TaskStatus status,
      com.fasterxml.jackson.databind.@Nullable JsonNode result,
      Instant at) {
    m.status = status;
    m.result = result;
    m.completedAt = at;
  }
}
