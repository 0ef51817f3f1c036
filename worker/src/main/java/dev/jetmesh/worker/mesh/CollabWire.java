package dev.jetmesh.worker.mesh;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mesh.collab.*} replies and notifications the worker reads (REFERENCE.md section 1),
 * with snake_case names through the shared mapper; requests are the schema's {@link
 * dev.jetmesh.schema.wire.CollabRequests}. Read tolerantly, so fields the orchestrator adds do not
 * break them.
 */
public final class CollabWire {
  private CollabWire() {}

  /**
   * {@code mesh.collab.<sid>.node.<nid>.round}, and the reply of {@code mesh.collab.assignment}.
   *
   * @param myScope paths, or {@code [REVIEW-ONLY] <path>} entries, or {@code [NO-SCOPE-ASSIGNED]}
   * @param currentTurn the node whose turn it is in sequential mode, else null
   * @param reflected jetmesh's assignment reply: whether this node already reflected this round
   *     (null in a notification)
   * @param coordinator under {@code coordinator} convergence, who casts the round's deciding vote
   *     ({@code mesh.collab.vote}) as the orchestrator has it now; null under other rules
   * @param coordinatorVoted under {@code coordinator} convergence, whether the round has that vote
   * @param roundScores the metric scores members printed in earlier rounds (empty when none, and
   *     from an orchestrator that does not send them)
   */
  public record Round(
      String sessionId,
      String taskId,
      int roundNumber,
      String sharedIntel,
      List<String> myScope,
      String myRole,
      String mode,
      String currentTurn,
      String scopeStrategy,
      Boolean reflected,
      String coordinator,
      Boolean coordinatorVoted,
      List<RoundScores> roundScores) {
    public Round {
      sharedIntel = sharedIntel == null ? "" : sharedIntel;
      myScope = myScope == null ? List.of() : List.copyOf(myScope);
      roundScores = roundScores == null ? List.of() : List.copyOf(roundScores);
    }
  }

  /** One earlier round's metric scores, by node. */
  public record RoundScores(int roundNumber, Map<String, BigDecimal> scores) {
    public RoundScores {
      scores = scores == null ? Map.of() : Map.copyOf(scores);
    }
  }

  /** {@code mesh.collab.<sid>.recruit}, and one entry of {@code mesh.collab.recruiting}. */
  public record Recruit(
      String sessionId,
      String taskId,
      String mode,
      Integer minNodes,
      Integer maxNodes,
      Integer currentNodes,
      List<String> nodeIds,
      String taskTitle) {
    public Recruit {
      nodeIds = nodeIds == null ? List.of() : List.copyOf(nodeIds);
    }

    /** Whether the session is known to have no place left. */
    public boolean full() {
      int n = currentNodes != null ? currentNodes : nodeIds.size();
      return maxNodes != null && maxNodes > 0 && n >= maxNodes;
    }
  }

  /** A member as {@code mesh.collab.status} lists it ({@code id} in the reference). */
  public record Member(@JsonAlias("node_id") String id, String role, String status) {}

  /** Reply of {@code mesh.collab.status}. */
  public record Status(
      String sessionId,
      @Nullable String taskId,
      @Nullable String mode,
      String status,
      @Nullable List<Member> nodes,
      @Nullable Integer currentRound,
      @Nullable Integer maxRounds,
      @Nullable Integer totalReflections,
      @Nullable List<String> artifacts) {
    public Status {
      nodes = nodes == null ? List.of() : List.copyOf(nodes);
      artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** converged, completed or aborted: no more rounds will come. */
    public boolean ended() {
      return "converged".equals(status) || "completed".equals(status) || "aborted".equals(status);
    }

    /** converged or completed: the session's work is to be kept. */
    public boolean succeeded() {
      return "converged".equals(status) || "completed".equals(status);
    }
  }
}
