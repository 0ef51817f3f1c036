package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a submitter asked for, normalised: defaults applied, lists never null. The input fields the
 * reference keeps (REFERENCE.md section 2), then jetmesh's: the metric's score target and the money
 * budget. Submissions stored before those existed decode with them null.
 *
 * @param metricThreshold with a score, the metric passes when the score meets this; null: the exit
 *     code decides
 * @param metricDirection which way the score improves; null reads as {@code higher}
 * @param budgetUsd the most the task's attempts (or collaboration rounds) may cost together; null:
 *     no money budget
 */
public record TaskSpec(
    String taskId,
    String title,
    String description,
    int budgetMinutes,
    @Nullable String metric,
    String onFail,
    List<String> scope,
    List<String> successCriteria,
    List<String> dependsOn,
    List<String> tags,
    List<String> preferredNodes,
    List<String> excludeNodes,
    int priority,
    @Nullable String llmProvider,
    @Nullable String llmModel,
    @Nullable JsonNode collaboration,
    @Nullable BigDecimal metricThreshold,
    @Nullable MetricDirection metricDirection,
    @Nullable BigDecimal budgetUsd) {

  public static final int DEFAULT_BUDGET_MINUTES = 30;
  public static final String DEFAULT_ON_FAIL = "revert and log approach";

  public TaskSpec {
    java.util.Objects.requireNonNull(taskId, "null task_id");
    java.util.Objects.requireNonNull(title, "null title");
    java.util.Objects.requireNonNull(description, "null description");
    scope = List.copyOf(scope);
    successCriteria = List.copyOf(successCriteria);
    dependsOn = List.copyOf(dependsOn);
    tags = List.copyOf(tags);
    preferredNodes = List.copyOf(preferredNodes);
    excludeNodes = List.copyOf(excludeNodes);
    collaboration = jsonOrNull(collaboration);
  }

  /** A task with the reference's defaults for everything but its id, title and description. */
  public static TaskSpec withDefaults(String taskId, String title, String description) {
    return new TaskSpec(
        taskId,
        title,
        description,
        DEFAULT_BUDGET_MINUTES,
        null,
        DEFAULT_ON_FAIL,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        0,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Java null for a missing or JSON-null node, so that a value read back from JSON equals the one
   * that was written (Jackson reads {@code null} into a JsonNode field as a {@code NullNode}).
   */
  public static @Nullable JsonNode jsonOrNull(@Nullable JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }
}
