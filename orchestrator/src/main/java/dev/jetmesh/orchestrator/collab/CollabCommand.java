package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What may be asked of a session, validated and normalised. */
public sealed interface CollabCommand {
  String sessionId();

  /** {@code budgetUsd}: the task's money budget for all rounds together, or null. */
  record CreateSession(
      String sessionId,
      String taskId,
      String taskTitle,
      List<String> taskScope,
      CollabSpec spec,
      @Nullable BigDecimal budgetUsd)
      implements CollabCommand {}

  record JoinSession(String sessionId, String nodeId, @Nullable String role)
      implements CollabCommand {}

  record LeaveSession(String sessionId, String nodeId, @Nullable String reason)
      implements CollabCommand {}

  /** {@code round} null: the current round. */
  record SubmitReflection(String sessionId, Integer round, CollabReflection reflection)
      implements CollabCommand {}

  record CastCoordinatorVote(
      String sessionId, String nodeId, Integer round, Vote vote, String reason)
      implements CollabCommand {}

  /** The parent task ended (failed, released, cancelled): abort the session (4.8). */
  record AbortForParent(String sessionId, String message) implements CollabCommand {}
}
