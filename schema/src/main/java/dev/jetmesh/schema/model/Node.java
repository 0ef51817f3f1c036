package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A worker node as {@code mesh.nodes.get} and {@code GET /api/nodes/<id>} return it: what its
 * events say (status, providers, capabilities, host, join and removal) and its liveness, which is
 * kept beside them without events (the last health beat, its time and the task it reported).
 *
 * @param joinedAt null for a node removed without ever joining
 * @param tokenId the id of the join token it presented; null when joins need no token
 * @param lastSeen the last health beat (or join) the orchestrator received
 * @param currentTask the task the node reported in its last health beat
 * @param health its last health beat, as it sent it
 * @param version the stream sequence of the node's last event
 */
public record Node(
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
    @Nullable Instant lastSeen,
    @Nullable String currentTask,
    @Nullable JsonNode health,
    long version) {

  public Node {
    providers = List.copyOf(providers);
    capabilities = List.copyOf(capabilities);
    host = TaskSpec.jsonOrNull(host);
    health = TaskSpec.jsonOrNull(health);
  }
}
