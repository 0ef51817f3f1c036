package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.orchestrator.wire.RawJson;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Spend;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.Notification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes the reference's {@code mesh.events.<type>} notifications and the {@code
 * mesh.agent.<owner>.stall|budget_exceeded} notices (the time budget's and the money budget's)
 * after an event is stored. At-most-once, like the reference; the stream is the durable record.
 * Thread-safe.
 */
public final class TaskNotifier {
  private final MeshBus bus;

  public TaskNotifier(MeshBus bus) {
    this.bus = bus;
  }

  /** Notifies {@code stored}, with {@code task} the state after it. */
  public void taskEvent(StoredEvent stored, Task task) {
    if (!(stored.event() instanceof TaskEvent ev)) {
      return;
    }
    String type =
        switch (ev) {
          case TaskEvent.TaskSubmitted x -> "submitted";
          case TaskEvent.TaskClaimed x -> "claimed";
          case TaskEvent.TaskStarted x -> "started";
          case TaskEvent.AttemptRecorded x -> null; // the reference publishes nothing for attempts
          case TaskEvent.TaskCompleted x -> "completed";
          case TaskEvent.TaskFailed x -> "failed";
          case TaskEvent.TaskReleased x -> "released";
          case TaskEvent.TaskCancelled x -> "cancelled";
          case TaskEvent.TaskBudgetExceeded x -> "failed";
          case TaskEvent.TaskStalled x -> "released";
          case TaskEvent.TaskRequeued x -> null; // the reference has no such notification
          case TaskEvent.TaskHeldForPlan x -> null; // nor this one
        };
    if (type != null) {
      publish(
          Subjects.taskNotification(type),
          new TaskNotice(type, task.taskId(), TaskDocs.raw(task), stored.envelope().occurredAt()));
    }
    if (ev instanceof TaskEvent.TaskBudgetExceeded b && b.owner() != null) {
      Map<String, Object> notice = new LinkedHashMap<>();
      notice.put("task_id", task.taskId());
      notice.put("elapsed_minutes", b.elapsedMinutes());
      notice.put("budget_minutes", b.budgetMinutes());
      publish(Subjects.agentNotice(b.owner(), "budget_exceeded"), notice);
    }
    if (ev instanceof TaskEvent.TaskFailed f
        && Spend.BUDGET_EXCEEDED.equals(f.reason())
        && task.owner() != null
        && f.result() != null) {
      // the money budget's notice: same subject as the time budget's, told apart by its fields
      Map<String, Object> notice = new LinkedHashMap<>();
      notice.put("task_id", task.taskId());
      notice.put("spent_usd", f.result().get("spent_usd"));
      notice.put("budget_usd", f.result().get("budget_usd"));
      notice.put("unknown_cost_runs", f.result().get("unknown_cost_runs"));
      publish(Subjects.agentNotice(task.owner(), "budget_exceeded"), notice);
    }
    if (ev instanceof TaskEvent.TaskStalled s && s.owner() != null) {
      Map<String, Object> notice = new LinkedHashMap<>();
      notice.put("task_id", task.taskId());
      notice.put("silent_minutes", s.silentMinutes());
      notice.put("threshold_minutes", s.thresholdMinutes());
      publish(Subjects.agentNotice(s.owner(), "stall"), notice);
    }
  }

  /** The reference's heartbeat notification, which carries the full task. */
  public void heartbeat(Task task, java.time.Instant at) {
    publish(
        Subjects.taskNotification("heartbeat"),
        new Notification("heartbeat", task.taskId(), task, at));
  }

  /**
   * A {@link Notification} whose task is the document the command's reply embeds too, written once
   * ({@link TaskDocs#task}); the same fields in the same order, so the same JSON.
   */
  record TaskNotice(String event, String taskId, RawJson task, Instant timestamp) {}

  private void publish(String subject, Object body) {
    bus.publish(subject, body);
  }
}
