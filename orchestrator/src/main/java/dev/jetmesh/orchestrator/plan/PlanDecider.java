package dev.jetmesh.orchestrator.plan;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.plan.PlanCommand.AbortPlan;
import dev.jetmesh.orchestrator.plan.PlanCommand.ApprovePlan;
import dev.jetmesh.orchestrator.plan.PlanCommand.CreatePlan;
import dev.jetmesh.orchestrator.plan.PlanCommand.UpdateSubtask;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanAborted;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.PlanEvent.PlanExecutionStarted;
import dev.jetmesh.schema.events.PlanEvent.PlanSubmittedForReview;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskSpec;
import dev.jetmesh.schema.model.SubtaskStatus;
import dev.jetmesh.schema.model.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides plan commands: a pure function of the current state (null when the plan does not exist)
 * and the command. The reference's error strings are kept exactly; the guards it lacks (approval,
 * abort of a finished plan, subtask updates) have their own messages, listed in docs/api.md.
 */
public final class PlanDecider {
  /** Who a plan that needs no approval is started by. */
  public static final String ORCHESTRATOR = "orchestrator";

  private PlanDecider() {}

  public static Decision<PlanEvent> decide(@Nullable Plan state, PlanCommand command) {
    if (state == null) {
      return command instanceof CreatePlan c
          ? create(null, c)
          : Decision.reject(ErrorCode.NOT_FOUND, notFound(command));
    }
    return switch (command) {
      case CreatePlan c -> create(state, c);
      case ApprovePlan a -> approve(state, a);
      case AbortPlan a -> abort(state, a);
      case UpdateSubtask u -> update(state, u);
    };
  }

  /**
   * Whether a plan may be created for {@code parent}: null when it may, else the refusal. A parent
   * that has ended cannot be settled by its plan: the plan's work would be done for nothing (a
   * worker claimed the untagged parent first and did the whole task). A queued parent may be
   * planned: if it lacks the tag {@code plan-parent}, creation adds it (task command HoldForPlan),
   * so no worker claims it afterwards. A parent a node holds may be planned too: that is the
   * planner's own flow (an agent claims a task, decides to split it, and creates its plan), and the
   * plan completes the parent when it is done.
   */
  public static Decision.@Nullable Reject<PlanEvent> refuseParent(
      String parentTaskId, @Nullable Task parent) {
    if (parent == null) {
      return new Decision.Reject<>(
          ErrorCode.NOT_FOUND, "Parent task " + parentTaskId + " not found");
    }
    if (!parent.status().isTerminal()) {
      return null;
    }
    return new Decision.Reject<>(
        ErrorCode.CONFLICT,
        "Parent task "
            + parentTaskId
            + " is "
            + parent.status().wire()
            + ": a plan cannot do the work of a task that has ended. Submit the parent with tag "
            + Task.PLAN_PARENT_TAG
            + " (no worker claims it), then create its plan");
  }

  private static String notFound(PlanCommand c) {
    if (c instanceof UpdateSubtask u) {
      return "Plan " + u.planId() + " or subtask " + u.subtaskId() + " not found";
    }
    return "Plan " + c.planId() + " not found";
  }

  private static Decision<PlanEvent> create(@Nullable Plan state, CreatePlan c) {
    if (state != null) {
      return Decision.reject(ErrorCode.ALREADY_EXISTS, "Plan " + c.planId() + " already exists");
    }
    List<PlanEvent> events = new ArrayList<>();
    events.add(c.plan());
    if (c.plan().requiresApproval()) {
      int budget = c.plan().subtasks().stream().mapToInt(SubtaskSpec::budgetMinutes).sum();
      events.add(new PlanSubmittedForReview(c.plan().subtasks().size(), budget));
    } else {
      events.add(new PlanExecutionStarted(ORCHESTRATOR));
    }
    return Decision.accept(events);
  }

  private static Decision<PlanEvent> approve(Plan p, ApprovePlan a) {
    if (p.approvedBy() != null) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Plan " + p.planId() + " is already approved (by " + p.approvedBy() + ")");
    }
    if (p.status() != PlanStatus.DRAFT && p.status() != PlanStatus.REVIEW) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Plan "
              + p.planId()
              + " is "
              + p.status().wire()
              + ": only a plan awaiting approval can be approved");
    }
    return Decision.accept(
        List.of(new PlanApproved(a.approvedBy()), new PlanExecutionStarted(a.approvedBy())));
  }

  private static Decision<PlanEvent> abort(Plan p, AbortPlan a) {
    if (p.status().isTerminal()) {
      return Decision.reject(
          ErrorCode.CONFLICT, "Plan " + p.planId() + " is already " + p.status().wire());
    }
    return Decision.accept(abortEvents(p, a.reason()));
  }

  /** {@code plan.aborted}, then every pending and queued subtask blocked with it. */
  static List<PlanEvent> abortEvents(Plan p, String reason) {
    List<PlanEvent> events = new ArrayList<>();
    events.add(new PlanAborted(reason));
    for (Subtask s : p.subtasks()) {
      if (s.status() == SubtaskStatus.PENDING || s.status() == SubtaskStatus.QUEUED) {
        events.add(new SubtaskBlocked(s.subtaskId(), null, "Plan aborted: " + reason));
      }
    }
    return events;
  }

  private static Decision<PlanEvent> update(Plan p, UpdateSubtask u) {
    Subtask s = p.subtask(u.subtaskId());
    if (s == null) {
      return Decision.reject(ErrorCode.NOT_FOUND, notFound(u));
    }
    if (p.status() != PlanStatus.EXECUTING) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Plan "
              + p.planId()
              + " is "
              + p.status().wire()
              + ": subtasks can only be updated while it executes");
    }
    if (s.status() != SubtaskStatus.QUEUED) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Subtask "
              + s.subtaskId()
              + " is "
              + s.status().wire()
              + ": only a dispatched subtask can be updated");
    }
    if (s.meshTaskId() != null) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Subtask "
              + s.subtaskId()
              + " runs as mesh task "
              + s.meshTaskId()
              + ": complete or fail that task instead");
    }
    if (u.completed()) {
      return Decision.accept(
          new SubtaskCompleted(
              s.subtaskId(),
              null,
              u.owner(),
              u.result() != null ? u.result() : success("completed")));
    }
    String reason = u.reason() == null ? "failed" : u.reason();
    return Decision.accept(
        failAndBlock(
            p,
            new SubtaskFailed(
                s.subtaskId(),
                null,
                null,
                u.owner(),
                reason,
                u.result() != null ? u.result() : Plan.failure(reason))));
  }

  /**
   * {@code failed} followed by a {@code plan.subtask_blocked} for every pending subtask that
   * depends on it, directly or transitively. Independent subtasks are untouched.
   */
  static List<PlanEvent> failAndBlock(Plan p, SubtaskFailed failed) {
    List<PlanEvent> events = new ArrayList<>();
    events.add(failed);
    for (String d : PlanGraph.dependentsOf(failed.subtaskId(), dependencies(p))) {
      if (requireNonNull(p.subtask(d), "a dependent is a subtask of the plan").status()
          == SubtaskStatus.PENDING) {
        events.add(
            new SubtaskBlocked(
                d, failed.subtaskId(), "Blocked: dependency " + failed.subtaskId() + " failed"));
      }
    }
    return events;
  }

  /** {@code {success:true, summary}}. */
  static com.fasterxml.jackson.databind.JsonNode success(String summary) {
    return dev.jetmesh.schema.Json.mapper()
        .createObjectNode()
        .put("success", true)
        .put("summary", summary);
  }

  static Map<String, List<String>> dependencies(Plan p) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (Subtask s : p.subtasks()) {
      deps.put(s.subtaskId(), s.dependsOn());
    }
    return deps;
  }
}
