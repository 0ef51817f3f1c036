package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.SubtaskDelegation;
import dev.jetmesh.schema.model.SubtaskSpec;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "given" of the plan rule tests: plans of subtasks with dependencies (waves computed by {@link
 * PlanGraph}), folded from events with {@link PlanEvolver}, the i-th event at {@link #T0} + i
 * seconds and stream sequence i + 1; and the mesh tasks that run their subtasks.
 */
final class PlanGiven {
  static final String PLAN = "plan-1";
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private PlanGiven() {}

  /** {@code id -> dependencies}, in order: {@code deps("a", List.of(), "b", List.of("a"))}. */
  static Map<String, List<String>> deps(Object... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> d = (List<String>) kv[i + 1];
      m.put((String) kv[i], d);
    }
    return m;
  }

  static SubtaskDelegation mesh() {
    return new SubtaskDelegation(SubtaskDelegation.SOLO_MESH, null, null, "test");
  }

  static SubtaskDelegation human() {
    return new SubtaskDelegation(SubtaskDelegation.HUMAN, null, null, "test");
  }

  /** {@code plan.created} for {@code deps}, every subtask with {@code delegation}. */
  static PlanCreated created(
      Map<String, List<String>> deps, SubtaskDelegation delegation, boolean approval) {
    Map<String, Integer> waves = PlanGraph.waves(deps);
    List<SubtaskSpec> specs = new ArrayList<>();
    for (var e : deps.entrySet()) {
      specs.add(
          new SubtaskSpec(
              e.getKey(),
              "Do " + e.getKey(),
              "",
              delegation,
              10,
              SubtaskSpec.DEFAULT_BUDGET_SOURCE,
              null,
              List.of(),
              List.of(),
              e.getValue(),
              waves.get(e.getKey())));
    }
    return new PlanCreated("parent", "A plan", "", "planner", null, approval, specs, null);
  }

  static StoredEvent stored(PlanEvent e, long seq, Instant at) {
    return new StoredEvent(
        seq, Subjects.planEvents(PLAN), Envelope.wrap(e, PLAN, "test", null, at));
  }

  /** The plan after {@code events}; null when there are none. */
  static Plan given(PlanEvent... events) {
    return given(List.of(events));
  }

  static Plan given(List<? extends PlanEvent> events) {
    Plan p = null;
    for (int i = 0; i < events.size(); i++) {
      p = PlanEvolver.evolve(p, stored(events.get(i), i + 1, T0.plusSeconds(i)));
    }
    return p;
  }

  /** An executing plan of mesh subtasks, nothing dispatched yet. */
  static Plan executing(Map<String, List<String>> deps) {
    return given(created(deps, mesh(), false), new PlanEvent.PlanExecutionStarted("orchestrator"));
  }

  /** The mesh task {@code id} as it ended: completed with a summary, or {@code status}. */
  static Task task(String id, TaskStatus status) {
    TaskSpec spec = TaskSpec.withDefaults(id, "Do " + id, "");
    Task.Mutable m = Task.queued(spec, T0, 1).toMutable();
    m.status = status;
    m.owner = "n1";
    ObjectNode result = Json.mapper().createObjectNode();
    result.put("success", status == TaskStatus.COMPLETED);
    result.put("summary", status == TaskStatus.COMPLETED ? "did " + id : "broke " + id);
    m.result = result;
    return m.build();
  }
}
