package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.wire.RequestDecoder.blank;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.decode;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.requiredId;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.stringList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.wire.Money;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.PlanStatus;
import dev.jetmesh.schema.model.SubtaskDelegation;
import dev.jetmesh.schema.model.SubtaskSpec;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import dev.jetmesh.schema.wire.PlanRequests;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mesh.plans.*} subjects: decode and validate each request, run it as a command or a
 * query, and shape the reply as the reference does. Thread-safe.
 */
public final class PlanRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(PlanRoutes.class);

  /** Longest budget a subtask may ask for: one week, as for tasks. */
  static final int MAX_BUDGET_MINUTES = 7 * 24 * 60;

  static final String DEFAULT_PLANNER = "daedalus";
  static final String DEFAULT_APPROVER = "gui";
  static final String DEFAULT_ABORT_REASON = "no reason given";
  private static final int LIST_LIMIT = 1000;
  private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(2);

  private final PlanCommandHandler plans;
  private final PlanQueries queries;
  private final TaskPort tasks;
  private final EventStore store;
  private final Watermark watermark;
  private final Clock clock;

  PlanRoutes(
      PlanCommandHandler plans,
      PlanQueries queries,
      TaskPort tasks,
      EventStore store,
      Watermark watermark,
      Clock clock) {
    this.plans = plans;
    this.queries = queries;
    this.tasks = tasks;
    this.store = store;
    this.watermark = watermark;
    this.clock = clock;
  }

  void register(RequestRouter router) {
    router
        .route(Subjects.plans("create"), this::create)
        .route(Subjects.plans("get"), this::get)
        .route(Subjects.plans("list"), this::list)
        .route(Subjects.plans("approve"), this::approve)
        .route(Subjects.plans("abort"), this::abort)
        .route(Subjects.plans("subtask.update"), this::updateSubtask);
  }

  Object create(byte[] body) {
    PlanRequests.Create r = decode(body, PlanRequests.Create.class);
    if (blank(r.parentTaskId()) || blank(r.title())) {
      throw new InvalidRequestException("parent_task_id and title are required");
    }
    Ids.require("parent_task_id", r.parentTaskId());
    Task parent = tasks.current(r.parentTaskId());
    Decision.Reject<?> refused = PlanDecider.refuseParent(r.parentTaskId(), parent);
    if (refused != null) {
      throw refused.toException();
    }
    long ms = clock.millis();
    String request = requestId();
    for (int attempt = 0; ; attempt++) {
      String planId = Ids.require("plan_id", "PLAN-" + r.parentTaskId() + "-" + (ms + attempt));
      PlanCreated created = toCreated(planId, r);
      Object plan;
      try {
        plan = plans.handle(new PlanCommand.CreatePlan(planId, created), "client", request);
      } catch (CommandRejectedException e) {
        if (attempt >= 9 || e.code() != ErrorCode.ALREADY_EXISTS) {
          throw e;
        }
        continue;
      }
      holdParent(parent, planId, request);
      return plan;
    }
  }

  /**
   * Takes a queued parent without the tag {@code plan-parent} out of the claim queue, once its plan
   * exists (so that a refused or failed creation changes nothing, and the hold names the plan that
   * was created). A parent a node claimed in between stays with its holder, as one it held before:
   * the planner's own flow.
   */
  private void holdParent(@Nullable Task parent, String planId, String request) {
    if (parent == null || parent.heldForPlan() || parent.status() != TaskStatus.QUEUED) {
      return;
    }
    try {
      tasks.holdForPlan(parent.taskId(), planId, "client", request);
    } catch (CommandRejectedException e) {
      LOG.info("parent {} of plan {} not held: {}", parent.taskId(), planId, e.getMessage());
    }
  }

  /** Validates a create request, applies defaults, computes waves and routes. */
  static PlanCreated toCreated(String planId, PlanRequests.Create r) {
    List<PlanRequests.SubtaskInput> in = r.subtasks() == null ? List.of() : r.subtasks();
    List<String> ids = new ArrayList<>();
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (int i = 0; i < in.size(); i++) {
      PlanRequests.SubtaskInput s = in.get(i);
      if (s == null) {
        throw new InvalidRequestException("Field 'subtasks' must not contain null");
      }
      String id =
          blank(s.subtaskId())
              ? planId + "-S" + String.format("%02d", i + 1)
              : Ids.require("subtask_id", s.subtaskId());
      if (deps.containsKey(id)) {
        throw new InvalidRequestException("Duplicate subtask_id " + id);
      }
      ids.add(id);
      deps.put(id, stringList("subtasks[" + i + "].depends_on", s.dependsOn(), true));
    }
    Map<String, Integer> waves = PlanGraph.waves(deps);
    List<SubtaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      String id = ids.get(i);
      specs.add(
          toSpec(
              i,
              id,
              in.get(i),
              Objects.requireNonNull(deps.get(id)),
              Objects.requireNonNull(waves.get(id))));
    }
    return new PlanCreated(
        r.parentTaskId(),
        r.title(),
        r.description() == null ? "" : r.description(),
        blank(r.planner()) ? DEFAULT_PLANNER : r.planner(),
        blank(r.plannerSoul()) ? null : r.plannerSoul(),
        r.requiresApproval() == null || r.requiresApproval(),
        specs,
        Money.budget("budget_usd", r.budgetUsd()));
  }

  private static SubtaskSpec toSpec(
      int i, String id, PlanRequests.SubtaskInput s, List<String> deps, int wave) {
    String at = "subtasks[" + i + "]";
    if (blank(s.title())) {
      throw new InvalidRequestException(at + ".title is required");
    }
    int budget = s.budgetMinutes() == null ? 0 : s.budgetMinutes();
    if (budget < 0 || budget > MAX_BUDGET_MINUTES) {
      throw new InvalidRequestException(
          at
              + ".budget_minutes must be between 1 and "
              + MAX_BUDGET_MINUTES
              + " (0 or absent: "
              + SubtaskSpec.DEFAULT_BUDGET_MINUTES
              + ")");
    }
    if (budget == 0) {
      budget = SubtaskSpec.DEFAULT_BUDGET_MINUTES;
    }
    String description = s.description() == null ? "" : s.description();
    String metric = blank(s.metric()) ? null : s.metric();
    List<String> scope = stringList(at + ".scope", s.scope(), false);
    return new SubtaskSpec(
        id,
        s.title(),
        description,
        delegation(at, s.delegation(), s.title(), description, budget, metric, scope),
        budget,
        SubtaskSpec.DEFAULT_BUDGET_SOURCE,
        metric,
        scope,
        stringList(at + ".success_criteria", s.successCriteria(), false),
        deps,
        wave);
  }

  /**
   * The given delegation, or the router's when it is missing, has no mode or has mode {@code auto}
   * (the reference never routed a missing delegation: REFERENCE.md section 8).
   */
  static SubtaskDelegation delegation(
      String at,
      PlanRequests.DelegationInput d,
      String title,
      String description,
      int budget,
      @Nullable String metric,
      List<String> scope) {
    if (d == null || blank(d.mode()) || d.mode().equals("auto")) {
      return PlanRouter.route(title, description, budget, metric, scope);
    }
    if (!SubtaskDelegation.MODES.contains(d.mode())) {
      throw new InvalidRequestException(
          "Unknown delegation mode: "
              + d.mode()
              + " (expected auto, "
              + String.join(", ", SubtaskDelegation.MODES)
              + ")");
    }
    JsonNode collab = d.collaboration();
    boolean hasCollab = collab != null && !collab.isNull();
    if (hasCollab && !collab.isObject()) {
      throw new InvalidRequestException(
          "Field '" + at + ".delegation.collaboration' must be an object or null");
    }
    if (d.mode().equals(SubtaskDelegation.COLLAB_MESH) && !hasCollab) {
      throw new InvalidRequestException(
          at + ".delegation.collaboration is required for mode collab_mesh");
    }
    return new SubtaskDelegation(
        d.mode(),
        blank(d.soulId()) ? null : d.soulId(),
        d.mode().equals(SubtaskDelegation.COLLAB_MESH) ? collab : null,
        blank(d.reason()) ? "given by the planner" : d.reason());
  }

  /** Answered from the aggregate, so a client sees its own writes at once. */
  Object get(byte[] body) {
    PlanRequests.Ref r = decode(body, PlanRequests.Ref.class);
    String id = requiredId("plan_id", r.planId());
    Plan p = plans.current(id);
    if (p == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Plan " + id + " not found");
    }
    return p;
  }

  Object approve(byte[] body) {
    PlanRequests.Approve r = decode(body, PlanRequests.Approve.class);
    String by = blank(r.approvedBy()) ? DEFAULT_APPROVER : r.approvedBy();
    return plans.handle(
        new PlanCommand.ApprovePlan(requiredId("plan_id", r.planId()), by), by, requestId());
  }

  Object abort(byte[] body) {
    PlanRequests.Abort r = decode(body, PlanRequests.Abort.class);
    String reason = blank(r.reason()) ? DEFAULT_ABORT_REASON : r.reason();
    return plans.handle(
        new PlanCommand.AbortPlan(requiredId("plan_id", r.planId()), reason),
        "client",
        requestId());
  }

  /** Answered from Postgres once the projector has passed this process's last append (bounded). */
  Object list(byte[] body) throws InterruptedException {
    PlanRequests.ListPlans r = decode(body, PlanRequests.ListPlans.class);
    String status = r.status() == null ? null : PlanStatus.fromWire(r.status()).wire();
    if (r.parentTaskId() != null) {
      Ids.require("parent_task_id", r.parentTaskId());
    }
    watermark.awaitAtLeast(store.highestAppended(), READ_YOUR_WRITES_WAIT);
    return queries.list(status, r.parentTaskId(), clock.instant(), LIST_LIMIT);
  }

  /**
   * Reports the outcome of a dispatched human, local or soul subtask. Accepted fields: {@code
   * plan_id}, {@code subtask_id}, {@code status} ({@code completed} or {@code failed}, required),
   * {@code result} (object), {@code owner} (id) and {@code reason}; anything else is refused.
   */
  Object updateSubtask(byte[] body) {
    PlanRequests.SubtaskUpdate r = decode(body, PlanRequests.SubtaskUpdate.class);
    if (blank(r.planId()) || blank(r.subtaskId())) {
      throw new InvalidRequestException("plan_id and subtask_id required");
    }
    Ids.require("plan_id", r.planId());
    Ids.require("subtask_id", r.subtaskId());
    if (!"completed".equals(r.status()) && !"failed".equals(r.status())) {
      throw new InvalidRequestException("Field 'status' must be 'completed' or 'failed'");
    }
    if (r.result() != null && !r.result().isNull() && !r.result().isObject()) {
      throw new InvalidRequestException("Field 'result' must be an object or null");
    }
    if (r.owner() != null) {
      Ids.require("owner", r.owner());
    }
    JsonNode result = r.result() == null || r.result().isNull() ? null : r.result();
    return plans.handle(
        new PlanCommand.UpdateSubtask(
            r.planId(),
            r.subtaskId(),
            r.status().equals("completed"),
            result,
            r.owner(),
            blank(r.reason()) ? null : r.reason()),
        r.owner() == null ? "client" : r.owner(),
        requestId());
  }

  private static String requestId() {
    return Ids.randomUuid().toString();
  }
}
