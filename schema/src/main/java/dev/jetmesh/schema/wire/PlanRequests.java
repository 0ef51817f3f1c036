package dev.jetmesh.schema.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Requests of the {@code mesh.plans.*} subjects (REFERENCE.md section 1). Fields are boxed so that
 * a missing field can be told from a zero; validation, routing and defaults live in the
 * orchestrator.
 */
public final class PlanRequests {
  private PlanRequests() {}

  /** {@code mesh.plans.create}. */
  public record Create(
      String parentTaskId,
      String title,
      String description,
      String planner,
      String plannerSoul,
      Boolean requiresApproval,
      List<SubtaskInput> subtasks,
      @Nullable BigDecimal budgetUsd) {}

  /** One subtask as a planner sends it. */
  public record SubtaskInput(
      String subtaskId,
      String title,
      String description,
      DelegationInput delegation,
      Integer budgetMinutes,
      String metric,
      List<String> scope,
      List<String> successCriteria,
      List<String> dependsOn) {}

  /** A subtask's delegation; mode {@code auto} (or no mode) asks the router. */
  public record DelegationInput(
      String mode, String soulId, JsonNode collaboration, String reason) {}

  /** {@code mesh.plans.get}. */
  public record Ref(String planId) {}

  /** {@code mesh.plans.approve}. */
  public record Approve(String planId, String approvedBy) {}

  /** {@code mesh.plans.abort}. */
  public record Abort(String planId, String reason) {}

  /** {@code mesh.plans.list}. */
  public record ListPlans(String status, String parentTaskId) {}

  /**
   * {@code mesh.plans.subtask.update}: reports the outcome of a human, local or soul subtask. Only
   * these fields are accepted; {@code status} must be {@code completed} or {@code failed}.
   */
  public record SubtaskUpdate(
      String planId,
      String subtaskId,
      String status,
      JsonNode result,
      String owner,
      String reason) {}

  /** One element of the {@code mesh.plans.list} reply. */
  public record Summary(
      String planId,
      String parentTaskId,
      String title,
      String status,
      int totalSubtasks,
      Map<String, Integer> subtaskStatus,
      Map<String, Integer> delegationModes,
      int estimatedWaves,
      int totalBudgetMinutes,
      long durationMs) {}

  /** The reference's {@code mesh.events.plan.<t>} notification. */
  public record PlanNotification(
      String event,
      String planId,
      String parentTaskId,
      dev.jetmesh.schema.model.Plan plan,
      java.time.Instant timestamp) {}
}
