package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import org.jspecify.annotations.Nullable;

/** What may be asked of a plan, validated and normalised. Imperative names. */
public sealed interface PlanCommand {
  String planId();

  /** Create a plan whose waves and delegations are already computed. */
  record CreatePlan(String planId, PlanCreated plan) implements PlanCommand {}

  record ApprovePlan(String planId, String approvedBy) implements PlanCommand {}

  record AbortPlan(String planId, String reason) implements PlanCommand {}

  /** Report the outcome of a dispatched human, local or soul subtask. */
  record UpdateSubtask(
      String planId,
      String subtaskId,
      boolean completed,
      @Nullable JsonNode result,
      @Nullable String owner,
      @Nullable String reason)
      implements PlanCommand {}
}
