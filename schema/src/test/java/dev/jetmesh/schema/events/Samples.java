package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.TaskEvent.AttemptRecorded;
import dev.jetmesh.schema.events.TaskEvent.TaskBudgetExceeded;
import dev.jetmesh.schema.events.TaskEvent.TaskCancelled;
import dev.jetmesh.schema.events.TaskEvent.TaskClaimed;
import dev.jetmesh.schema.events.TaskEvent.TaskCompleted;
import dev.jetmesh.schema.events.TaskEvent.TaskFailed;
import dev.jetmesh.schema.events.TaskEvent.TaskReleased;
import dev.jetmesh.schema.events.TaskEvent.TaskRequeued;
import dev.jetmesh.schema.events.TaskEvent.TaskStalled;
import dev.jetmesh.schema.events.TaskEvent.TaskStarted;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.schema.model.TaskSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Realistic instances of every event type, shaped as the orchestrator's deciders shape them: a
 * fully populated one and, where a field may be null, a sparse one (legacy client, defaults).
 * {@code EventCatalogTest} fails when a catalogued type has no sample here.
 */
final class Samples {
  static final String TASK_ID = "fix-login-timeout";
  static final Instant AT = Instant.parse("2025-06-02T09:15:30.123Z");

  private Samples() {}

  static List<MeshEvent> all() {
    List<MeshEvent> all = new java.util.ArrayList<>(taskSamples());
    all.addAll(CollabSamples.all());
    all.addAll(PlanSamples.all());
    all.addAll(NodeSamples.all());
    return all;
  }

  static List<MeshEvent> taskSamples() {
    return List.of(
        new TaskSubmitted(fullSpec()),
        new TaskSubmitted(minimalSpec()),
        new TaskClaimed("node-a", Instant.parse("2025-06-02T10:00:30.123Z")),
        new TaskStarted("node-a"),
        new TaskStarted(null),
        new AttemptRecorded(fullAttempt()),
        new AttemptRecorded(
            new Attempt(
                "bumped the session ttl",
                "LoginIT still fails",
                false,
                AT,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null)),
        new TaskCompleted(
            "node-a", object("success", true, "summary", "session ttl read from config")),
        new TaskCompleted(null, object("success", true)),
        new TaskFailed(
            "node-a",
            "metric still failing after 3 attempts",
            object("success", false, "summary", "metric still failing after 3 attempts")),
        new TaskFailed(null, null, object("success", false, "summary", "unknown")),
        new TaskFailed(
            null,
            "budget_exceeded",
            new dev.jetmesh.schema.model.Spend(new BigDecimal("0.0375"), 1)
                .exceededResult(new BigDecimal("0.03"))),
        new TaskReleased(
            "node-a",
            "needs a product decision on session length",
            object(
                "success",
                false,
                "summary",
                "needs a product decision on session length",
                "released",
                true)),
        new TaskRequeued("node-a", "alice", "decommissioned: disk failing"),
        new TaskRequeued("node-a", "cli", null),
        new TaskEvent.TaskHeldForPlan("PLAN-release-1-1748855730123"),
        new TaskCancelled("client", null, object("success", false, "summary", "cancelled")),
        new TaskCancelled(
            "node-b", "duplicate of fix-auth", object("success", false, "summary", "duplicate")),
        new TaskBudgetExceeded(
            "node-a",
            47,
            45,
            "Budget exceeded: 47m elapsed, 45m budget",
            object("success", false, "summary", "Budget exceeded: 47m elapsed, 45m budget")),
        new TaskStalled(
            "node-a",
            12,
            10,
            "Stall detected: no agent heartbeat for 12m, alive check failed",
            object(
                "success",
                false,
                "summary",
                "Stall detected: no agent heartbeat for 12m, alive check failed",
                "released",
                true)));
  }

  static TaskSpec fullSpec() {
    ObjectNode collaboration = object("mode", "parallel", "min_nodes", 2);
    collaboration.putArray("roles").add("author").add("reviewer");
    return new TaskSpec(
        TASK_ID,
        "Fix the login timeout",
        "Users are logged out after 5 minutes instead of 30.",
        45,
        "mvn -q verify -Dit.test=LoginIT",
        TaskSpec.DEFAULT_ON_FAIL,
        List.of("auth/src/main/java", "auth/src/test/java"),
        List.of("LoginIT passes", "no new warnings"),
        List.of("upgrade-jdbc"),
        List.of("backend", "auth"),
        List.of("node-a"),
        List.of("node-c"),
        5,
        "claude",
        "claude-sonnet-4",
        collaboration,
        new BigDecimal("0.85"),
        MetricDirection.LOWER,
        new BigDecimal("1.5"));
  }

  static TaskSpec minimalSpec() {
    return TaskSpec.withDefaults("tidy-readme", "Tidy the README", "");
  }

  static Attempt fullAttempt() {
    ObjectNode tokens = object("input_tokens", 18234, "output_tokens", 2411);
    return new Attempt(
        "read the ttl from SessionConfig instead of the constant",
        "LoginIT passes",
        true,
        AT,
        2,
        "node-a",
        "claude",
        "claude-sonnet-4",
        0,
        true,
        new BigDecimal("0.8731"),
        184_512L,
        new BigDecimal("0.4213"),
        tokens,
        new OutputRef(
            "mesh-output",
            TASK_ID + "/attempt-2.log",
            48_213,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  }

  /** An object from alternating names and values (strings, booleans or ints). */
  static ObjectNode object(Object... namesAndValues) {
    ObjectNode n = Json.mapper().createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = (String) namesAndValues[i];
      switch (namesAndValues[i + 1]) {
        case String s -> n.put(name, s);
        case Boolean b -> n.put(name, b);
        case Integer v -> n.put(name, v);
        default -> throw new IllegalArgumentException("unsupported value " + namesAndValues[i + 1]);
      }
    }
    return n;
  }
}
