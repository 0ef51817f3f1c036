package dev.jetmesh.schema.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One round of a session (REFERENCE.md section 2) with what jetmesh adds: each node's assignment,
 * the turn order, the deadline, the coordinator's vote and the evaluation's outcome.
 *
 * @param deadline when the round times out: members that have not reflected are marked dead
 * @param coordinatorVote the coordinator's vote ({@code coordinator} convergence), or null
 * @param coordinatorVoter who cast {@code coordinatorVote}, or null: kept, because the seat can
 *     pass on (the first live member coordinates unless the spec names someone)
 * @param outcome null while open; then {@code converged}, {@code max_rounds}, {@code next_round}
 */
public record CollabRound(
    int roundNumber,
    Instant startedAt,
    @Nullable Instant completedAt,
    Instant deadline,
    String sharedIntel,
    List<CollabAssignment> assignments,
    List<String> turnOrder,
    List<CollabReflection> reflections,
    @Nullable Vote coordinatorVote,
    @Nullable String coordinatorVoter,
    @Nullable String outcome,
    boolean timedOut) {
  public CollabRound {
    assignments = List.copyOf(assignments);
    turnOrder = List.copyOf(turnOrder);
    reflections = List.copyOf(reflections);
  }

  /** The reflection of {@code nodeId} in this round, or null. */
  public @Nullable CollabReflection reflectionOf(String nodeId) {
    for (CollabReflection r : reflections) {
      if (r.nodeId().equals(nodeId)) {
        return r;
      }
    }
    return null;
  }

  /** The assignment of {@code nodeId} in this round, or null. */
  public @Nullable CollabAssignment assignmentOf(String nodeId) {
    for (CollabAssignment a : assignments) {
      if (a.nodeId().equals(nodeId)) {
        return a;
      }
    }
    return null;
  }
}
