package dev.jetmesh.schema.events;

import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.PlanEvent.PlanAborted;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.PlanEvent.PlanCompleted;
import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.events.PlanEvent.PlanExecutionStarted;
import dev.jetmesh.schema.events.PlanEvent.PlanSubmittedForReview;
import dev.jetmesh.schema.events.PlanEvent.SubtaskBlocked;
import dev.jetmesh.schema.events.PlanEvent.SubtaskCompleted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.SubtaskFailed;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.SubtaskDelegation;
import dev.jetmesh.schema.model.SubtaskSpec;
import java.math.BigDecimal;
import java.util.List;

/** Realistic instances of every plan event, as the plan decider and reactor shape them. */
final class PlanSamples {
  static final String PARENT = "ship-sso";

  private PlanSamples() {}

  static List<MeshEvent> all() {
    var review =
        Json.mapper()
            .createObjectNode()
            .put("mode", "review")
            .put("min_nodes", 2)
            .put("max_nodes", 3)
            .put("join_window_s", 30)
            .put("max_rounds", 3)
            .put("scope_strategy", "leader_only");
    review.putObject("convergence").put("type", "unanimous");
    SubtaskSpec design =
        new SubtaskSpec(
            "PLAN-ship-sso-1748855730123-S01",
            "Choose between SAML and OIDC",
            "",
            new SubtaskDelegation("human", null, null, "rule 2: needs a human decision"),
            15,
            SubtaskSpec.DEFAULT_BUDGET_SOURCE,
            null,
            List.of(),
            List.of(),
            List.of(),
            0);
    SubtaskSpec auth =
        new SubtaskSpec(
            "PLAN-ship-sso-1748855730123-S02",
            "Implement the OIDC login",
            "Token validation in the auth service.",
            new SubtaskDelegation("collab_mesh", null, review, "rule 4: sensitive scope or text"),
            45,
            SubtaskSpec.DEFAULT_BUDGET_SOURCE,
            "mvn -q verify -Dit.test=OidcIT",
            List.of("auth/src/main/java"),
            List.of("OidcIT passes"),
            List.of("PLAN-ship-sso-1748855730123-S01"),
            1);
    return List.of(
        new PlanCreated(
            PARENT,
            "Single sign-on",
            "Replace password login with OIDC.",
            "daedalus",
            null,
            true,
            List.of(design, auth),
            new BigDecimal("12.5")),
        new PlanCreated(PARENT, "Empty plan", "", "daedalus", "architect", false, List.of(), null),
        new PlanSubmittedForReview(2, 60),
        new PlanApproved("alice"),
        new PlanExecutionStarted("alice"),
        new PlanExecutionStarted("orchestrator"),
        new WaveDispatched(1, List.of("PLAN-ship-sso-1748855730123-S02")),
        new SubtaskDispatched("PLAN-ship-sso-1748855730123-S01", 0, "human", null),
        new SubtaskDispatched(
            "PLAN-ship-sso-1748855730123-S02", 1, "collab_mesh", "PLAN-ship-sso-1748855730123-S02"),
        new SubtaskCompleted(
            "PLAN-ship-sso-1748855730123-S01",
            null,
            "alice",
            Json.mapper().createObjectNode().put("success", true).put("summary", "OIDC")),
        new SubtaskCompleted(
            "PLAN-ship-sso-1748855730123-S02", "PLAN-ship-sso-1748855730123-S02", "node-a", null),
        new SubtaskFailed(
            "PLAN-ship-sso-1748855730123-S02",
            "PLAN-ship-sso-1748855730123-S02",
            "released",
            "node-a",
            "needs a product decision",
            Plan.failure("needs a product decision")),
        new SubtaskFailed("PLAN-ship-sso-1748855730123-S01", null, null, null, null, null),
        new SubtaskBlocked(
            "PLAN-ship-sso-1748855730123-S03",
            "PLAN-ship-sso-1748855730123-S02",
            "Blocked: dependency PLAN-ship-sso-1748855730123-S02 failed"),
        new SubtaskBlocked("PLAN-ship-sso-1748855730123-S03", null, "Plan aborted: wrong approach"),
        new PlanCompleted(
            false, 1, 1, 1, "Plan PLAN-ship-sso-1748855730123 completed (3 subtasks)"),
        new PlanAborted("wrong approach"),
        new PlanAborted("budget_exceeded: Budget exceeded: $12.61 spent of $12.5 budget_usd"));
  }
}
