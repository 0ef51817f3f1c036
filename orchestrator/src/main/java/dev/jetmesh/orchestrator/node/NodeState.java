package dev.jetmesh.orchestrator.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Node;
import dev.jetmesh.schema.model.NodeStatus;
import dev.jetmesh.schema.model.TaskSpec;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A node as its events say: what {@link NodeDecider} decides from and {@link NodeEvolver} folds.
 * Liveness (last beat, health, current task) is not here: it is not in the log.
 *
 * @param joinedAt null for a node removed without ever joining
 * @param version the stream sequence of its last event
 */
public record NodeState(
    String nodeId,
    NodeStatus status,
    List<String> providers,
    List<String> capabilities,
    @Nullable JsonNode host,
    @Nullable String tokenId,
    @Nullable Instant joinedAt,
    @Nullable Instant staleSince,
    @Nullable Instant removedAt,
    @Nullable String removedBy,
    @Nullable String removedReason,
    long version) {

  public NodeState {
    providers = List.copyOf(providers);
    capabilities = List.copyOf(capabilities);
    host = TaskSpec.jsonOrNull(host);
  }

  /** The wire view: these facts with the liveness kept beside them. */
  public Node view(
      @Nullable Instant lastSeen, @Nullable String currentTask, @Nullable JsonNode health) {
    return new Node(
        nodeId,
        status,
        providers,
        capabilities,
        host,
        tokenId,
        joinedAt,
        staleSince,
        removedAt,
        removedBy,
        removedReason,
        lastSeen,
        currentTask,
        health,
        version);
  }

  NodeState with(NodeStatus newStatus, @Nullable Instant newStaleSince, long newVersion) {
    return new NodeState(
        nodeId,
        newStatus,
        providers,
        capabilities,
        host,
        tokenId,
        joinedAt,
        newStaleSince,
        removedAt,
        removedBy,
        removedReason,
        newVersion);
  }
}
