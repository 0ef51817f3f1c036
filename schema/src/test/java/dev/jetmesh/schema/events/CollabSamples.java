package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.CollabEvent.NodeJoined;
import dev.jetmesh.schema.events.CollabEvent.NodeLeft;
import dev.jetmesh.schema.events.CollabEvent.NodeMarkedDead;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.RoundEvaluated;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCompleted;
import dev.jetmesh.schema.events.CollabEvent.SessionConverged;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.events.CollabEvent.TurnAdvanced;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Realistic instances of every collab event type, shaped as the orchestrator shapes them. */
final class CollabSamples {
  static final String SESSION_ID = "collab-fix-login-timeout-1748855730123";
  static final Instant AT = Samples.AT;

  private CollabSamples() {}

  static CollabSpec spec() {
    return new CollabSpec(
        CollabMode.PARALLEL,
        2,
        3,
        30,
        5,
        new CollabConvergence(ConvergenceType.MAJORITY, 0.66, null, 2, null, null, null),
        "partitioned",
        null);
  }

  static CollabReflection reflection(String node, String vote, boolean parseFailed) {
    return new CollabReflection(
        node,
        "moved the ttl into SessionConfig",
        "the ttl was read twice",
        List.of("auth/src/main/java/SessionConfig.java"),
        0.8,
        ReflectionVote.fromWire(vote),
        parseFailed,
        parseFailed ? null : Boolean.TRUE,
        parseFailed ? null : new BigDecimal("0.92"),
        parseFailed ? null : new BigDecimal("0.0125"),
        AT);
  }

  static List<MeshEvent> all() {
    ObjectNode result = Json.mapper().createObjectNode();
    result.putArray("artifacts").add("auth/src/main/java/SessionConfig.java");
    result.put("summary", "Converged after 2 rounds with 3 nodes");
    result.put("rounds_taken", 2);
    result.putObject("node_contributions").put("node-a", "moved the ttl into SessionConfig");
    ObjectNode maxed = result.deepCopy();
    maxed.put("summary", "Max rounds (5) reached. 3 nodes participated.");
    maxed.put("max_rounds_reached", true);
    return List.of(
        new SessionCreated(
            SESSION_ID,
            Samples.TASK_ID,
            "Fix the login timeout",
            List.of("auth/src/main/java", "auth/src/test/java"),
            spec(),
            new BigDecimal("2.5")),
        new SessionCreated(
            SESSION_ID,
            Samples.TASK_ID,
            "Fix the login timeout",
            List.of(),
            new CollabSpec(
                CollabMode.SEQUENTIAL,
                2,
                null,
                30,
                5,
                new CollabConvergence(
                    ConvergenceType.METRIC,
                    0.66,
                    "mvn -q verify",
                    2,
                    "lead",
                    new BigDecimal("0.85"),
                    MetricDirection.LOWER),
                "shared",
                600),
            null),
        new NodeJoined("node-a", "worker", Instant.parse("2025-06-02T09:16:00.123Z")),
        new NodeLeft("node-c", "shutting down"),
        new NodeLeft("node-c", null),
        new NodeMarkedDead("node-b", 2, "alive check failed"),
        new RecruitingClosed("max_nodes", List.of("node-a", "node-b", "node-c")),
        new RoundStarted(
            2,
            "=== ROUND 1 SHARED INTELLIGENCE ===\n\n## Node: node-a\nConfidence: 0.8 | Vote:"
                + " continue\n\n=== CONVERGENCE: 0/1 voted converged. ===",
            List.of(
                new CollabAssignment("node-a", "worker", List.of("auth/src/main/java")),
                new CollabAssignment("node-b", "worker", List.of("auth/src/test/java"))),
            List.of(),
            null,
            1_800_000L),
        new RoundStarted(
            1,
            "",
            List.of(new CollabAssignment("node-a", "worker", List.of("*"))),
            List.of("node-a", "node-b"),
            "node-a",
            null),
        new TurnAdvanced(1, "node-a", "node-b", "\n\n=== INTRA-ROUND 1 (turns so far) ===\n"),
        new TurnAdvanced(1, "node-b", null, null),
        new ReflectionSubmitted(1, reflection("node-a", "converged", false)),
        new ReflectionSubmitted(1, reflection("node-b", "parse_error", true)),
        new ReflectionSubmitted(1, reflection("node-c", "Maybe", true)),
        new CoordinatorVoted(2, "lead", Vote.CONVERGED, "tests pass on main"),
        new CoordinatorVoted(2, "lead", Vote.CONTINUE, null),
        new RoundEvaluated(
            2,
            spec().convergence(),
            new CollabTally(3, 2, 2, 0, 0, 1, 2, 0, null, new BigDecimal("0.92")),
            true,
            "converged",
            false),
        new RoundEvaluated(
            1,
            new CollabConvergence(ConvergenceType.COORDINATOR, 0.66, null, 2, null, null, null),
            new CollabTally(2, 2, 0, 1, 1, 0, 0, 0, Vote.CONTINUE, null),
            false,
            "next_round",
            true),
        new SessionConverged(2),
        new SessionCompleted(2, false, result),
        new SessionCompleted(5, true, maxed),
        new SessionAborted("insufficient_nodes", "Collab aborted: too few active nodes (1 < 2)"),
        new SessionAborted(
            "budget_exceeded",
            "Collab aborted: Budget exceeded: $2.5125 spent of $2.5 budget_usd (1 run of unknown"
                + " cost not counted)"));
  }
}
