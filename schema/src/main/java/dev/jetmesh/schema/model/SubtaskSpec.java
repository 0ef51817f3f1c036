package dev.jetmesh.schema.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A subtask as planned: input normalised, delegation routed and wave computed (REFERENCE.md section
 * 2). Immutable; the plan's progress lives in {@link Subtask}.
 */
public record SubtaskSpec(
    String subtaskId,
    String title,
    String description,
    SubtaskDelegation delegation,
    int budgetMinutes,
    String budgetSource,
    @Nullable String metric,
    List<String> scope,
    List<String> successCriteria,
    List<String> dependsOn,
    int wave) {
  public static final int DEFAULT_BUDGET_MINUTES = 15;
  public static final String DEFAULT_BUDGET_SOURCE = "planner_estimate";

  public SubtaskSpec {
    Objects.requireNonNull(subtaskId, "null subtask_id");
    Objects.requireNonNull(title, "null title");
    Objects.requireNonNull(description, "null description");
    Objects.requireNonNull(delegation, "null delegation");
    Objects.requireNonNull(budgetSource, "null budget_source");
    scope = List.copyOf(scope);
    successCriteria = List.copyOf(successCriteria);
    dependsOn = List.copyOf(dependsOn);
  }
}
