package dev.jetmesh.orchestrator.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What may be asked of a node, validated and normalised. Imperative names. */
public sealed interface NodeCommand {
  String nodeId();

  /**
   * A worker joins (or joins again).
   *
   * @param tokenId the verified join token's id; null when the mesh needs no token
   */
  record JoinNode(
      String nodeId,
      List<String> providers,
      List<String> capabilities,
      @Nullable JsonNode host,
      @Nullable String tokenId)
      implements NodeCommand {
    public JoinNode {
      providers = List.copyOf(providers);
      capabilities = List.copyOf(capabilities);
    }
  }

  /**
   * The sweep's decision: the node has been silent since {@code lastSeen} (from the read model).
   */
  record MarkStale(String nodeId, @Nullable Instant lastSeen, Duration threshold)
      implements NodeCommand {}

  /** A health beat arrived at {@code seenAt} while the read model showed the node stale. */
  record MarkBack(String nodeId, Instant seenAt) implements NodeCommand {}

  /**
   * Somebody removes the node for good.
   *
   * @param worked the read models show the node has held a task or sat in a collaboration session:
   *     a legacy worker that works without joining, known although it has no node events
   * @param force remove the name even if nothing ever knew it (to refuse a worker before it comes)
   */
  record RemoveNode(
      String nodeId, String removedBy, @Nullable String reason, boolean worked, boolean force)
      implements NodeCommand {}
}
