package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.TaskSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything that can happen to a worker node, appended to {@code mesh.evt.node.<node_id>}. The
 * node id is the envelope's {@code aggregate_id}. Liveness is recorded on a change of state only
 * ({@code node.went_stale}, {@code node.came_back}); the health beats themselves are not events.
 */
public sealed interface NodeEvent extends MeshEvent {
  @Override
  default String aggregate() {
    return "node";
  }

  /**
   * A node joined the mesh, or joined again with other providers, capabilities or host facts (a
   * restarted worker), or after it had gone stale.
   *
   * @param tokenId the id of the verified join token; null when the mesh accepts joins without one
   * @param host what the worker reports about its machine (hostname, platform, cpus, memory, …)
   */
  @EventType("node.joined")
  record NodeJoined(
      String nodeId,
      List<String> providers,
      List<String> capabilities,
      @Nullable JsonNode host,
      @Nullable String tokenId,
      Instant joinedAt)
      implements NodeEvent {
    public NodeJoined {
      Objects.requireNonNull(nodeId, "null node_id");
      Objects.requireNonNull(joinedAt, "null joined_at");
      providers = List.copyOf(providers);
      capabilities = List.copyOf(capabilities);
      host = TaskSpec.jsonOrNull(host);
    }
  }

  /** The node published no health for longer than the threshold: it is stale until it beats. */
  @EventType("node.went_stale")
  record NodeWentStale(Instant lastSeen, long silentSeconds, long thresholdSeconds)
      implements NodeEvent {
    public NodeWentStale {
      Objects.requireNonNull(lastSeen, "null last_seen");
    }
  }

  /** A stale node published health again. */
  @EventType("node.came_back")
  record NodeCameBack(Instant seenAt) implements NodeEvent {
    public NodeCameBack {
      Objects.requireNonNull(seenAt, "null seen_at");
    }
  }

  /**
   * Somebody removed the node: its held task goes back to the queue, its collaboration seats are
   * given up, and it is refused (join and claims) from then on.
   */
  @EventType("node.removed")
  record NodeRemoved(String removedBy, @Nullable String reason) implements NodeEvent {
    public NodeRemoved {
      Objects.requireNonNull(removedBy, "null removed_by");
    }
  }
}
