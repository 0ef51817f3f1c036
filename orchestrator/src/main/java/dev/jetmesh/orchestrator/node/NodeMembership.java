package dev.jetmesh.orchestrator.node;

import dev.jetmesh.schema.model.NodeStatus;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Who may claim, in memory, so that a claim asks without a round trip: the removed nodes (refused
 * for good) and, when joins need a token, the nodes that joined (only they may claim, so that a
 * worker cannot skip the token by never joining). Learns of this process's joins and removals as
 * they happen, of the projected ones after each batch, and of the rest from {@link #refresh}; a
 * node it does not know yet is looked up in its events once. Thread-safe.
 */
final class NodeMembership {
  private final NodeCommandHandler nodes;
  private final NodeQueries queries;
  private final boolean tokensRequired;

  /** Removal is for good, so these sets only grow (a removed member stays refused). */
  private final Set<String> removed = ConcurrentHashMap.newKeySet();

  private final Set<String> members = ConcurrentHashMap.newKeySet();

  NodeMembership(NodeCommandHandler nodes, NodeQueries queries, boolean tokensRequired) {
    this.nodes = nodes;
    this.queries = queries;
    this.tokensRequired = tokensRequired;
  }

  void joined(String nodeId) {
    members.add(nodeId);
  }

  void removed(String nodeId) {
    removed.add(nodeId);
  }

  boolean isRemoved(String nodeId) {
    return removed.contains(nodeId);
  }

  /** Reads every member and removed node from the read model. */
  void refresh() {
    removed.addAll(queries.withStatus(NodeStatus.REMOVED));
    if (tokensRequired) {
      members.addAll(queries.withStatus(NodeStatus.JOINED));
      members.addAll(queries.withStatus(NodeStatus.STALE));
    }
  }

  /** Why {@code nodeId} may not claim, or null when it may. */
  @Nullable String claimRefusal(String nodeId) {
    if (removed.contains(nodeId)) {
      return removedMessage(nodeId);
    }
    if (!tokensRequired || members.contains(nodeId)) {
      return null;
    }
    // Joined through another orchestrator since the last refresh, or never: its events say.
    NodeState s = nodes.current(nodeId);
    if (s != null && s.status() == NodeStatus.REMOVED) {
      removed.add(nodeId);
      return removedMessage(nodeId);
    }
    if (s != null) {
      members.add(nodeId);
      return null;
    }
    return "Node " + nodeId + " has not joined the mesh: join with a token first (mesh.nodes.join)";
  }

  private static String removedMessage(String nodeId) {
    return "Node " + nodeId + " was removed from the mesh";
  }
}
