package dev.jetmesh.schema.wire;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Requests of the {@code mesh.collab.*} subjects (REFERENCE.md section 1) and jetmesh's additions
 * ({@code mesh.collab.vote}, {@code mesh.collab.assignment}). Fields are boxed so that a missing
 * field can be told from a zero; validation lives in the orchestrator.
 */
public final class CollabRequests {
  private CollabRequests() {}

  /** {@code mesh.collab.create} and {@code mesh.collab.find}. */
  public record ByTask(String taskId) {}

  /** {@code mesh.collab.join}. */
  public record Join(String sessionId, String nodeId, @Nullable String role) {}

  /** {@code mesh.collab.leave}. */
  public record Leave(String sessionId, String nodeId, @Nullable String reason) {}

  /** {@code mesh.collab.status}. */
  public record Status(String sessionId) {}

  /**
   * {@code mesh.collab.reflect}. {@code round}, when given, must be the current round; {@code
   * metric_passed} and {@code metric_score} are jetmesh's additions for {@code metric} convergence,
   * {@code cost_usd} (what the round cost this node) for the task's money budget.
   */
  public record Reflect(
      String sessionId,
      String nodeId,
      Integer round,
      String summary,
      String learnings,
      List<String> artifacts,
      BigDecimal confidence,
      String vote,
      Boolean parseFailed,
      @Nullable Boolean metricPassed,
      @Nullable BigDecimal metricScore,
      @Nullable BigDecimal costUsd) {}

  /** {@code mesh.collab.vote}: the coordinator's deciding vote for {@code coordinator} sessions. */
  public record Vote(String sessionId, String nodeId, Integer round, String vote, String reason) {}

  /** {@code mesh.collab.assignment}: a member asks for its current round. */
  public record Assignment(String sessionId, String nodeId) {}
}
