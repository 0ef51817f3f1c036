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

  /** A copy to change field by field, e.g. the defaults of {@link #withDefaults} but one. */
  public Mutable toMutable() {
    return new Mutable(this);
  }

  /**
   * A mutable copy of a spec; {@link #build} normalises it as the constructor does. Not
   * thread-safe; never shared.
   */
  public static final class Mutable {
    public String taskId;
    public String title;
    public String description;
    public int budgetMinutes;
    public @Nullable String metric;
    public String onFail;
    public List<String> scope;
    public List<String> successCriteria;
    public List<String> dependsOn;
    public List<String> tags;
    public List<String> preferredNodes;
    public List<String> excludeNodes;
    public int priority;
    public @Nullable String llmProvider;
    public @Nullable String llmModel;
    public @Nullable JsonNode collaboration;
    public @Nullable BigDecimal metricThreshold;
    public @Nullable MetricDirection metricDirection;
    public @Nullable BigDecimal budgetUsd;

    private Mutable(TaskSpec s) {
      taskId = s.taskId;
      title = s.title;
      description = s.description;
      budgetMinutes = s.budgetMinutes;
      metric = s.metric;
      onFail = s.onFail;
      scope = s.scope;
      successCriteria = s.successCriteria;
      dependsOn = s.dependsOn;
      tags = s.tags;
      preferredNodes = s.preferredNodes;
      excludeNodes = s.excludeNodes;
      priority = s.priority;
      llmProvider = s.llmProvider;
      llmModel = s.llmModel;
      collaboration = s.collaboration;
      metricThreshold = s.metricThreshold;
      metricDirection = s.metricDirection;
      budgetUsd = s.budgetUsd;
    }

    public TaskSpec build() {
      return new TaskSpec(
          taskId,
          title,
          description,
          budgetMinutes,
          metric,
          onFail,
          scope,
          successCriteria,
          dependsOn,
          tags,
          preferredNodes,
          excludeNodes,
          priority,
          llmProvider,
          llmModel,
          collaboration,
          metricThreshold,
          metricDirection,
          budgetUsd);
    }
  }

  /**
   * Java null for a missing or JSON-null node, so that a value read back from JSON equals the one
   * that was written (Jackson reads {@code null} into a JsonNode field as a {@code NullNode}).
   */
  public static @Nullable JsonNode jsonOrNull(@Nullable JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }
}
