package dev.jetmesh.orchestrator.task;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.task.TaskCommand.CancelTask;
import dev.jetmesh.orchestrator.task.TaskCommand.ClaimTask;
import dev.jetmesh.orchestrator.task.TaskCommand.CompleteTask;
import dev.jetmesh.orchestrator.task.TaskCommand.ExceedBudget;
import dev.jetmesh.orchestrator.task.TaskCommand.FailTask;
import dev.jetmesh.orchestrator.task.TaskCommand.RecordAttempt;
import dev.jetmesh.orchestrator.task.TaskCommand.ReleaseStalled;
import dev.jetmesh.orchestrator.task.TaskCommand.ReleaseTask;
import dev.jetmesh.orchestrator.task.TaskCommand.StartTask;
import dev.jetmesh.orchestrator.task.TaskCommand.SubmitTask;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
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
import dev.jetmesh.schema.model.Spend;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides task commands: a pure function of the current state (null when the task does not exist),
 * the command and the time. Error strings of the reference are kept exactly (REFERENCE.md section
 * 1); the guards the reference lacks have their own messages, listed in docs/api.md.
 */
public final class TaskDecider {
  private TaskDecider() {}

  public static Decision<TaskEvent> decide(@Nullable Task state, TaskCommand command, Instant now) {
    if (state == null) {
      return command instanceof SubmitTask s
          ? Decision.accept(new TaskSubmitted(s.spec()))
          : Decision.reject(ErrorCode.NOT_FOUND, "Task " + command.taskId() + " not found");
    }
    return switch (command) {
      case SubmitTask s ->
          Decision.reject(ErrorCode.ALREADY_EXISTS, "Task " + s.taskId() + " already exists");
      case ClaimTask c -> claim(state, c, now);
      case StartTask s -> start(state, s);
      case RecordAttempt a -> attempt(state, a, now);
      case CompleteTask c -> complete(state, c);
      case FailTask f -> fail(state, f, now);
      case ReleaseTask r -> release(state, r, now);
      case CancelTask c -> cancel(state, c);
      case ExceedBudget b -> exceedBudget(state, now);
      case ReleaseStalled s -> releaseStalled(state, s);
      case TaskCommand.RequeueTask r -> requeue(state, r);
      case TaskCommand.HoldForPlan h -> holdForPlan(state, h);
      case TaskCommand.Settle p -> settle(state, p, now);
    };
  }

  private static Decision<TaskEvent> claim(Task t, ClaimTask c, Instant now) {
    if (t.status() != TaskStatus.QUEUED) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Task " + t.taskId() + " is not queued (" + t.status().wire() + ")");
    }
    if (t.heldForPlan()) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Task "
              + t.taskId()
              + " is a plan's parent (tag "
              + Task.PLAN_PARENT_TAG
              + "): its plan"
              + " settles it");
    }
    if (t.excludeNodes().contains(c.nodeId())) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Task " + t.taskId() + " excludes node " + c.nodeId());
    }
    Instant deadline = now.plus(Duration.ofMinutes(t.budgetMinutes()));
    return Decision.accept(new TaskClaimed(c.nodeId(), deadline));
  }

  private static Decision<TaskEvent> start(Task t, StartTask s) {
    Decision.Reject<TaskEvent> refused = TaskFences.refuse(t, s.fence(), "start");
    if (refused != null) {
      return refused;
    }
    Spend spent = Spend.of(t.attempts());
    if (spent.reaches(t.budgetUsd())) {
      return Decision.reject(
          ErrorCode.BUDGET_EXCEEDED,
          "Task "
              + t.taskId()
              + " has spent its budget: "
              + spent.exceededText(requireNonNull(t.budgetUsd(), "a budget was reached"))
              + "; no further attempt may start");
    }
    if (t.status() == TaskStatus.RUNNING) {
      return Decision.accept(); // starting twice (a worker's next attempt) records nothing
    }
    return Decision.accept(new TaskStarted(s.fence().nodeId()));
  }

  /**
   * Records the attempt. An attempt that was not kept is followed by another one; when the known
   * spend, this attempt included, has reached the task's {@code budget_usd}, that next attempt
   * would start over budget, so the task fails now, in the same append, with reason {@code
   * budget_exceeded}. A kept attempt never fails the task: its work is about to be completed.
   */
  private static Decision<TaskEvent> attempt(Task t, RecordAttempt a, Instant now) {
    Decision.Reject<TaskEvent> refused = TaskFences.refuse(t, a.fence(), "record an attempt");
    if (refused != null && !TaskFences.lateReportOfFinalClaim(t, a.fence())) {
      return refused;
    }
    Attempt recorded = a.attempt().withTimestamp(now);
    Spend spent = Spend.of(t.attempts()).plus(recorded.costUsd());
    if (refused == null && !recorded.keep() && spent.reaches(t.budgetUsd())) {
      return Decision.accept(
          List.of(
              new AttemptRecorded(recorded),
              new TaskFailed(
                  null,
                  Spend.BUDGET_EXCEEDED,
                  spent.exceededResult(requireNonNull(t.budgetUsd(), "a budget was reached")))));
    }
    return Decision.accept(new AttemptRecorded(recorded));
  }

  private static Decision<TaskEvent> complete(Task t, CompleteTask c) {
    Decision.Reject<TaskEvent> refused = TaskFences.refuse(t, c.fence(), "complete");
    if (refused != null) {
      return refused;
    }
    JsonNode result = c.result();
    if (result == null || result.isNull()) {
      ObjectNode r = Json.mapper().createObjectNode();
      r.put("success", true);
      result = r;
    }
    return Decision.accept(new TaskCompleted(c.fence().nodeId(), result));
  }

  private static Decision<TaskEvent> fail(Task t, FailTask f, Instant now) {
    Decision.Reject<TaskEvent> refused = TaskFences.refuse(t, f.fence(), "fail");
    if (refused != null) {
      return refused;
    }
    String reason = blankToNull(f.reason());
    List<TaskEvent> events = newAttempts(t, f.attempts(), now);
    events.add(
        new TaskFailed(
            f.fence().nodeId(), reason, summary(reason == null ? "unknown" : reason, false)));
    return Decision.accept(events);
  }

  private static Decision<TaskEvent> release(Task t, ReleaseTask r, Instant now) {
    Decision.Reject<TaskEvent> refused = TaskFences.refuse(t, r.fence(), "release");
    if (refused != null) {
      return refused;
    }
    String reason = blankToNull(r.reason());
    List<TaskEvent> events = newAttempts(t, r.attempts(), now);
    events.add(
        new TaskReleased(
            r.fence().nodeId(),
            reason,
            summary(reason == null ? "released for human triage" : reason, true)));
    return Decision.accept(events);
  }

  private static Decision<TaskEvent> cancel(Task t, CancelTask c) {
    if (t.status().isTerminal()) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Task " + t.taskId() + " is already " + t.status().wire());
    }
    String reason = blankToNull(c.reason());
    return Decision.accept(
        new TaskCancelled(
            c.actor(), reason, summary(reason == null ? "cancelled" : reason, false)));
  }

  private static Decision<TaskEvent> exceedBudget(Task t, Instant now) {
    if (!t.status().isActive() || t.budgetDeadline() == null || !now.isAfter(t.budgetDeadline())) {
      return Decision.reject(ErrorCode.CONFLICT, "Task " + t.taskId() + " is within its budget");
    }
    long elapsed = Duration.between(t.claimedAt(), now).toMinutes();
    String reason = "Budget exceeded: " + elapsed + "m elapsed, " + t.budgetMinutes() + "m budget";
    return Decision.accept(
        new TaskBudgetExceeded(
            t.owner(), elapsed, t.budgetMinutes(), reason, summary(reason, false)));
  }

  private static Decision<TaskEvent> releaseStalled(Task t, ReleaseStalled s) {
    if (!t.status().isActive()) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Task " + t.taskId() + " is " + t.status().wire() + ", not active");
    }
    String reason =
        "Stall detected: no agent heartbeat for " + s.silentMinutes() + "m, alive check failed";
    return Decision.accept(
        new TaskStalled(
            t.owner(), s.silentMinutes(), s.thresholdMinutes(), reason, summary(reason, true)));
  }

  private static Decision<TaskEvent> requeue(Task t, TaskCommand.RequeueTask r) {
    if (!t.status().isActive() || !r.nodeId().equals(t.owner())) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Task " + t.taskId() + " is " + t.status().wire() + ", not held by node " + r.nodeId());
    }
    return Decision.accept(new TaskEvent.TaskRequeued(r.nodeId(), r.by(), blankToNull(r.reason())));
  }

  /** Only a queued task can become a plan's parent; one already tagged needs nothing. */
  private static Decision<TaskEvent> holdForPlan(Task t, TaskCommand.HoldForPlan h) {
    if (t.status() != TaskStatus.QUEUED) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Task "
              + t.taskId()
              + " is "
              + t.status().wire()
              + ": only a queued task can become a plan's parent (submit it with tag "
              + Task.PLAN_PARENT_TAG
              + ")");
    }
    return t.heldForPlan()
        ? Decision.accept()
        : Decision.accept(new TaskEvent.TaskHeldForPlan(h.planId()));
  }

  private static Decision<TaskEvent> settle(Task t, TaskCommand.Settle p, Instant now) {
    if (t.status().isTerminal()) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Task " + t.taskId() + " is " + t.status().wire() + ": cannot be settled by " + p.by());
    }
    List<TaskEvent> events = new ArrayList<>();
    for (Attempt a : p.attempts()) {
      events.add(new AttemptRecorded(a.timestamp() == null ? a.withTimestamp(now) : a));
    }
    events.add(outcome(p));
    return Decision.accept(events);
  }

  private static TaskEvent outcome(TaskCommand.Settle p) {
    String reason = blankToNull(p.reason());
    return switch (p.outcome()) {
      case COMPLETE -> new TaskCompleted(null, p.result());
      case FAIL ->
          new TaskFailed(
              null,
              reason,
              p.result() != null
                  ? p.result()
                  : summary(reason == null ? "unknown" : reason, false));
      case RELEASE ->
          new TaskReleased(
              null,
              reason,
              p.result() != null
                  ? p.result()
                  : summary(reason == null ? "released for human triage" : reason, true));
    };
  }

  /**
   * Attempts in a fail or release that are not recorded yet. The reference replaced the whole list
   * (a fail without attempts wiped history); jetmesh only ever appends, matching each given attempt
   * against one recorded attempt with the same outcome.
   */
  private static List<TaskEvent> newAttempts(Task t, @Nullable List<Attempt> given, Instant now) {
    List<TaskEvent> out = new ArrayList<>();
    if (given == null) {
      return out;
    }
    List<Attempt> recorded = new ArrayList<>(t.attempts());
    for (Attempt a : given) {
      int match = -1;
      for (int i = 0; i < recorded.size(); i++) {
        if (recorded.get(i).sameOutcome(a)) {
          match = i;
          break;
        }
      }
      if (match >= 0) {
        recorded.remove(match);
      } else {
        out.add(new AttemptRecorded(a.timestamp() == null ? a.withTimestamp(now) : a));
      }
    }
    return out;
  }

  private static JsonNode summary(String summary, boolean released) {
    ObjectNode r = Json.mapper().createObjectNode();
    r.put("success", false);
    r.put("summary", summary);
    if (released) {
      r.put("released", true);
    }
    return r;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
