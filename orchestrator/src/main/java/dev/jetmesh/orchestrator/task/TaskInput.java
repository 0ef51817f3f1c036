package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.wire.RequestDecoder.blank;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.stringList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.wire.Money;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.MetricScore;
import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.wire.TaskRequests;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Validation of what {@code mesh.tasks.submit}, {@code attempt}, {@code fail} and {@code release}
 * carry, with the reference's defaults applied; every refusal is an {@link InvalidRequestException}
 * naming the field. Stateless.
 */
final class TaskInput {
  /** Longest budget a task may ask for: one week. */
  static final int MAX_BUDGET_MINUTES = 7 * 24 * 60;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private TaskInput() {}

  /** Validates a submission and applies the reference's defaults. */
  static TaskSpec spec(TaskRequests.Submit r) {
    if (blank(r.taskId()) || blank(r.title())) {
      throw new InvalidRequestException("task_id and title are required");
    }
    Ids.require("task_id", r.taskId());
    int budget = r.budgetMinutes() == null ? 0 : r.budgetMinutes();
    if (budget < 0 || budget > MAX_BUDGET_MINUTES) {
      throw new InvalidRequestException(
          "budget_minutes must be between 1 and " + MAX_BUDGET_MINUTES + " (0 or absent: 30)");
    }
    if (budget == 0) {
      budget = TaskSpec.DEFAULT_BUDGET_MINUTES;
    }
    if (r.collaboration() != null && !r.collaboration().isNull() && !r.collaboration().isObject()) {
      throw new InvalidRequestException("Field 'collaboration' must be an object or null");
    }
    if (r.collaboration() != null && r.collaboration().isObject()) {
      CollabSpec.parse(r.collaboration()); // refuse a bad spec up front
    }
    return new TaskSpec(
        r.taskId(),
        r.title(),
        r.description() == null ? "" : r.description(),
        budget,
        blank(r.metric()) ? null : r.metric(),
        r.onFail() == null ? TaskSpec.DEFAULT_ON_FAIL : r.onFail(),
        stringList("scope", r.scope(), false),
        stringList("success_criteria", r.successCriteria(), false),
        stringList("depends_on", r.dependsOn(), true),
        stringList("tags", r.tags(), false),
        stringList("preferred_nodes", r.preferredNodes(), true),
        stringList("exclude_nodes", r.excludeNodes(), true),
        r.priority() == null ? 0 : r.priority(),
        blank(r.llmProvider()) ? null : r.llmProvider(),
        blank(r.llmModel()) ? null : r.llmModel(),
        r.collaboration() == null || r.collaboration().isNull() ? null : r.collaboration(),
        MetricScore.require("metric_threshold", r.metricThreshold()),
        r.metricDirection() == null ? null : MetricDirection.fromWire(r.metricDirection()),
        Money.budget("budget_usd", r.budgetUsd()));
  }

  /** The attempt a {@code mesh.tasks.attempt} request reports, not yet stamped. */
  static Attempt attempt(TaskRequests.RecordAttempt r) {
    objectOrNull("tokens", r.tokens());
    validOutput(r.output());
    return new Attempt(
        r.approach(),
        r.result(),
        Boolean.TRUE.equals(r.keep()),
        null,
        r.attempt(),
        r.nodeId(),
        r.provider(),
        r.model(),
        r.exitCode(),
        r.metricPassed(),
        MetricScore.require("metric_score", r.metricScore()),
        r.durationMs(),
        Money.cost("cost_usd", r.costUsd()),
        r.tokens(),
        r.output());
  }

  /** The attempts a fail or release carries, each validated; empty when absent. */
  static List<Attempt> attempts(@Nullable List<Attempt> given) {
    if (given == null) {
      return List.of();
    }
    for (Attempt a : given) {
      if (a == null) {
        throw new InvalidRequestException("Field 'attempts' must not contain null");
      }
      if (a.nodeId() != null) {
        Ids.require("attempts[].node_id", a.nodeId());
      }
      objectOrNull("attempts[].tokens", a.tokens());
      validOutput(a.output());
      MetricScore.require("attempts[].metric_score", a.metricScore());
      Money.cost("attempts[].cost_usd", a.costUsd());
    }
    return given;
  }

  static void objectOrNull(String field, @Nullable JsonNode n) {
    if (n != null && !n.isNull() && !n.isObject()) {
      throw new InvalidRequestException("Field '" + field + "' must be an object or null");
    }
  }

  private static void validOutput(@Nullable OutputRef o) {
    if (o == null) {
      return;
    }
    if (blank(o.bucket())
        || blank(o.name())
        || o.size() < 0
        || o.sha256() == null
        || !SHA256.matcher(o.sha256()).matches()) {
      throw new InvalidRequestException(
          "Field 'output' must have bucket, name, size >= 0 and a lower-case hex sha256");
    }
  }
}
