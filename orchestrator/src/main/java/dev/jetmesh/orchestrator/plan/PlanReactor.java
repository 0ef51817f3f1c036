package dev.jetmesh.orchestrator.plan;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.store.ConcurrencyConflictException;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.Spend;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskStatus;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves plans forward from the read model: after each committed batch (for the plans it touched,
 * including plans whose mesh tasks ended in any way) and on every sweep (for every open plan).
 *
 * <p>Each {@link PlanProgress.Step} is appended with the plan's projected sequence and event ids
 * derived from {@code plan:<id>:<step key>@<sequence>}: if the stream moved on, the append
 * conflicts and the plan is decided again once the projector has caught up; a decision taken twice
 * from the same state (a crash, a re-run) is appended once. The sequence is in the ids because a
 * step's events are separate appends: a crash between two of them leaves a half-done step, which
 * the next pass decides again from the new state as a different, shorter step (the rest of a wave);
 * with ids by position alone, its events would be taken for the first ones and dropped as
 * duplicates. Mesh tasks of dispatched subtasks are submitted after their dispatch is recorded,
 * with seeds {@code plan:<id>:task:<subtask>}, and re-submitted by later passes while the read
 * model shows no task (a crash between the two); the parent task is completed with seed {@code
 * plan:<id>:parent}. Called on the projector's and the sweeper's threads; thread-safe (every write
 * is an optimistic append).
 */
final class PlanReactor {
  private static final Logger LOG = LoggerFactory.getLogger(PlanReactor.class);
  private static final int SWEEP_LIMIT = 500;
  static final String SUBTASK_TAG = "plan";

  private final PlanCommandHandler plans;
  private final PlanQueries queries;
  private final TaskPort tasks;

  /**
   * @param tasks the task port; its projected tasks (null when not in memory) spare look-ups: a
   *     task known not to carry the {@code "plan"} tag cannot be a subtask
   */
  PlanReactor(PlanCommandHandler plans, PlanQueries queries, TaskPort tasks) {
    this.plans = plans;
    this.queries = queries;
    this.tasks = tasks;
  }

  /** Evaluates the plans touched by {@code batch}. */
  void afterCommit(List<StoredEvent> batch) {
    Set<String> planIds = new LinkedHashSet<>();
    List<String> endedTasks = new ArrayList<>();
    for (StoredEvent e : batch) {
      switch (e.event()) {
        case PlanEvent p -> planIds.add(e.envelope().aggregateId());
        case TaskEvent t -> {
          if (endsTask(t) && maySubtask(e.envelope().aggregateId())) {
            endedTasks.add(e.envelope().aggregateId());
          }
        }
        default -> {}
      }
    }
    if (!endedTasks.isEmpty()) {
      planIds.addAll(queries.plansOfTasks(endedTasks));
    }
    planIds.forEach(this::evaluateQuietly);
  }

  /** Evaluates every open plan. */
  void sweep() {
    MeshModule.sweepEach(queries.open(SWEEP_LIMIT), this::evaluateQuietly);
  }

  private boolean maySubtask(String taskId) {
    Task t = tasks.projected(taskId);
    return t == null || t.tags().contains(SUBTASK_TAG);
  }

  private static boolean endsTask(TaskEvent t) {
    return switch (t) {
      case TaskEvent.TaskCompleted x -> true;
      case TaskEvent.TaskFailed x -> true;
      case TaskEvent.TaskReleased x -> true;
      case TaskEvent.TaskCancelled x -> true;
      case TaskEvent.TaskBudgetExceeded x -> true;
      case TaskEvent.TaskStalled x -> true;
      case TaskEvent.TaskSubmitted x -> false;
      case TaskEvent.TaskClaimed x -> false;
      case TaskEvent.TaskStarted x -> false;
      case TaskEvent.AttemptRecorded x -> false;
      case TaskEvent.TaskRequeued x -> false;
      case TaskEvent.TaskHeldForPlan x -> false;
    };
  }

  private void evaluateQuietly(String planId) {
    try {
      evaluate(planId);
    } catch (ConcurrencyConflictException e) {
      LOG.debug("plan {} moved on; deciding again later: {}", planId, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("plan {} not evaluated: {}", planId, e.toString(), e);
    }
  }

  /** One pass over one plan, from the read model. */
  void evaluate(String planId) {
    Plan plan = queries.plan(planId).orElse(null);
    if (plan == null) {
      return;
    }
    if (plan.status() == PlanStatus.COMPLETED) {
      completeParent(plan);
      return;
    }
    if (plan.status() == PlanStatus.ABORTED && plan.budgetUsd() != null) {
      failParentIfSpent(plan, queries.tasks(meshIds(plan)));
      return;
    }
    if (plan.status() != PlanStatus.EXECUTING) {
      return;
    }
    Map<String, Task> projected = queries.tasks(meshIds(plan));
    long seq = plan.version();
    Plan state = plan;
    String causation = "plan:" + planId + "@" + seq;
    for (PlanProgress.Step step : PlanProgress.decide(plan, projected)) {
      seq =
          plans.appendAt(
              planId, seq, step.events(), causation, seed(planId, step.key() + "@" + seq));
      state = PlanProgress.apply(state, step.events());
      if (state.status() == PlanStatus.COMPLETED) {
        completeParent(state);
      } else if (state.status() == PlanStatus.ABORTED) {
        failParentIfSpent(state, projected);
      }
    }
    Task parent = projected.get(plan.parentTaskId());
    for (Subtask s : state.subtasks()) {
      if (s.status() == SubtaskStatus.QUEUED
          && s.meshTaskId() != null
          && !projected.containsKey(s.meshTaskId())) {
        seq = submit(state, s, parent, PlanProgress.remaining(state, projected), seq);
      }
    }
  }

  /** The ids of the plan's dispatched mesh tasks and of its parent. */
  private static List<String> meshIds(Plan plan) {
    List<String> meshIds = new ArrayList<>();
    for (Subtask s : plan.subtasks()) {
      if (s.meshTaskId() != null) {
        meshIds.add(s.meshTaskId());
      }
    }
    meshIds.add(plan.parentTaskId());
    return meshIds;
  }

  /**
   * Submits the mesh task of a dispatched subtask. A task of the same id that belongs to another
   * plan or to nobody fails the subtask (the id is taken).
   */
  private long submit(
      Plan plan, Subtask s, @Nullable Task parent, @Nullable BigDecimal budgetUsd, long seq) {
    try {
      tasks.submit(
          spec(plan, s, parent, budgetUsd),
          "orchestrator",
          "plan:" + plan.planId(),
          seed(plan.planId(), "task:" + s.subtaskId()));
      return seq;
    } catch (CommandRejectedException e) {
      Task existing = tasks.current(requireNonNull(s.meshTaskId(), "a queued subtask has a task"));
      if (existing != null && existing.tags().contains(plan.planId())) {
        return seq; // submitted by an earlier pass; the projector has not shown it yet
      }
      List<PlanEvent> events =
          PlanDecider.failAndBlock(
              plan,
              new SubtaskFailed(
                  s.subtaskId(), null, null, null, e.getMessage(), Plan.failure(e.getMessage())));
      return plans.appendAt(
          plan.planId(),
          seq,
          events,
          "plan:" + plan.planId(),
          seed(plan.planId(), "subtask:" + s.subtaskId() + ":failed"));
    }
  }

  /**
   * The mesh task of a subtask: id = subtask id, tags {@code [plan, <plan_id>]}, the subtask's
   * budget, metric, scope and criteria, the delegation's collaboration spec, and the parent's
   * provider, model and node routing. {@code budgetUsd} is what is left of the plan's money budget
   * when it is dispatched (null: the plan has none), so no subtask alone can spend past the plan's.
   */
  static TaskSpec spec(
      Plan plan, Subtask s, @Nullable Task parent, @Nullable BigDecimal budgetUsd) {
    return new TaskSpec(
        requireNonNull(s.meshTaskId(), "only mesh subtasks are submitted"),
        s.title(),
        s.description(),
        s.budgetMinutes(),
        s.metric(),
        TaskSpec.DEFAULT_ON_FAIL,
        s.scope(),
        s.successCriteria(),
        List.of(),
        List.of(SUBTASK_TAG, plan.planId()),
        parent == null ? List.of() : parent.preferredNodes(),
        parent == null ? List.of() : parent.excludeNodes(),
        0,
        parent == null ? null : parent.llmProvider(),
        parent == null ? null : parent.llmModel(),
        s.delegation().mode().equals(dev.jetmesh.schema.model.SubtaskDelegation.COLLAB_MESH)
            ? s.delegation().collaboration()
            : null,
        null,
        null,
        budgetUsd);
  }

  /**
   * Fails the parent of a plan aborted because its subtasks spent its {@code budget_usd}, with
   * reason {@code budget_exceeded}. Decided on the spend, never on the abort's text; a plan aborted
   * by somebody leaves its parent alone.
   */
  private void failParentIfSpent(Plan plan, Map<String, Task> projected) {
    Spend spent = PlanProgress.spent(plan, projected);
    if (!spent.reaches(plan.budgetUsd())) {
      return;
    }
    Task parent = tasks.current(plan.parentTaskId());
    if (parent == null || parent.status().isTerminal()) {
      return;
    }
    ObjectNode result =
        spent
            .exceededResult(Objects.requireNonNull(plan.budgetUsd(), "a budget was reached"))
            .put("plan_id", plan.planId());
    try {
      tasks.settle(
          parent.taskId(),
          "plan:" + plan.planId(),
          TaskPort.Outcome.FAIL,
          Spend.BUDGET_EXCEEDED,
          result,
          "orchestrator",
          "plan:" + plan.planId(),
          seed(plan.planId(), "parent"));
    } catch (CommandRejectedException e) {
      LOG.info(
          "parent {} of plan {} not failed: {}", parent.taskId(), plan.planId(), e.getMessage());
    }
  }

  /**
   * Completes the parent task with {@code {success, summary, plan_id}} unless it already ended (a
   * parent that is queued or held is completed too: the plan did its work). {@code success} is
   * false and the summary counts the successes when a subtask failed or was blocked.
   */
  private void completeParent(Plan plan) {
    Task parent = tasks.current(plan.parentTaskId());
    if (parent == null || parent.status().isTerminal()) {
      return;
    }
    var result =
        dev.jetmesh.schema.Json.mapper()
            .createObjectNode()
            .put("success", Boolean.TRUE.equals(plan.success()))
            .put("summary", PlanProgress.summary(plan))
            .put("plan_id", plan.planId());
    try {
      tasks.settle(
          parent.taskId(),
          "plan:" + plan.planId(),
          TaskPort.Outcome.COMPLETE,
          null,
          result,
          "orchestrator",
          "plan:" + plan.planId(),
          seed(plan.planId(), "parent"));
    } catch (CommandRejectedException e) {
      LOG.info(
          "parent {} of plan {} not completed: {}", parent.taskId(), plan.planId(), e.getMessage());
    }
  }

  static String seed(String planId, String key) {
    return "plan:" + planId + ":" + key;
  }
}
