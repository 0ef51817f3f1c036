package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A collaboration session as the wire returns it (REFERENCE.md section 2: the spec's fields
 * flattened, the members, the rounds and the bookkeeping), plus {@code version}: the stream
 * sequence of the last event applied. Built only by folding the session's events.
 *
 * @param budgetUsd the task's money budget for all rounds together, or null
 * @param status {@code "recruiting"}, {@code "active"}, {@code "converged"}, {@code "completed"} or
 *     {@code "aborted"}
 */
public record CollabSession(
    String sessionId,
    String taskId,
    String taskTitle,
    List<String> taskScope,
    CollabMode mode,
    int minNodes,
    @Nullable Integer maxNodes,
    int joinWindowS,
    int maxRounds,
    CollabConvergence convergence,
    String scopeStrategy,
    @Nullable Integer roundTimeoutS,
    @Nullable BigDecimal budgetUsd,
    String status,
    List<CollabNode> nodes,
    int currentRound,
    List<CollabRound> rounds,
    int recruitedCount,
    List<String> turnOrder,
    @Nullable String currentTurn,
    @Nullable Instant recruitingDeadline,
    Instant createdAt,
    @Nullable Instant completedAt,
    @Nullable JsonNode result,
    @Nullable String abortReason,
    @Nullable String abortKind,
    long version) {

  public CollabSession {
    taskScope = List.copyOf(taskScope);
    nodes = List.copyOf(nodes);
    rounds = List.copyOf(rounds);
    turnOrder = List.copyOf(turnOrder);
    result = TaskSpec.jsonOrNull(result);
  }

  /** The spec the session was created with. */
  public CollabSpec spec() {
    return new CollabSpec(
        mode,
        minNodes,
        maxNodes,
        joinWindowS,
        maxRounds,
        convergence,
        scopeStrategy,
        roundTimeoutS);
  }

  /** True once completed or aborted. */
  public boolean terminal() {
    return "completed".equals(status) || "aborted".equals(status);
  }

  /** The member {@code nodeId}, or null. */
  public @Nullable CollabNode node(String nodeId) {
    for (CollabNode n : nodes) {
      if (n.nodeId().equals(nodeId)) {
        return n;
      }
    }
    return null;
  }

  /** Members not marked dead, in join order. */
  public List<CollabNode> liveNodes() {
    List<CollabNode> out = new ArrayList<>();
    for (CollabNode n : nodes) {
      if (!n.dead()) {
        out.add(n);
      }
    }
    return out;
  }

  /** The current round, or null before round 1. */
  public @Nullable CollabRound round() {
    return rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
  }
}
