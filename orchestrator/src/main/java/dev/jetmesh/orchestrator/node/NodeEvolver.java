package dev.jetmesh.orchestrator.node;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.NodeEvent.NodeCameBack;
import dev.jetmesh.schema.events.NodeEvent.NodeJoined;
import dev.jetmesh.schema.events.NodeEvent.NodeRemoved;
import dev.jetmesh.schema.events.NodeEvent.NodeWentStale;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.NodeStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Folds node events into a {@link NodeState}. The command side and the projector use this same
 * function, so the read model cannot disagree with what commands decide from.
 */
public final class NodeEvolver {
  private NodeEvolver() {}

  /** Thrown for an event that cannot apply to the state (e.g. a join after the removal). */
  public static final class IllegalNodeEventException extends MeshException {
    public IllegalNodeEventException(String message) {
      super(ErrorCode.INTERNAL, message);
    }
  }

  /** The state after all {@code events}, or null when there are none. */
  public static @Nullable NodeState replay(List<StoredEvent> events) {
    NodeState s = null;
    for (StoredEvent e : events) {
      s = evolve(s, e);
    }
    return s;
  }

  /**
   * The state after {@code stored}; {@code state} is null before the node's first event.
   *
   * @throws IllegalNodeEventException when the event cannot follow the state
   */
  public static NodeState evolve(@Nullable NodeState state, StoredEvent stored) {
    if (!(stored.event() instanceof NodeEvent event)) {
      throw new IllegalNodeEventException("not a node event: " + stored.envelope().type());
    }
    String id = stored.envelope().aggregateId();
    Instant at = stored.envelope().occurredAt();
    long seq = stored.seq();
    if (state != null && state.status() == NodeStatus.REMOVED) {
      throw new IllegalNodeEventException(
          stored.envelope().type() + " after node " + id + " was removed");
    }
    return switch (event) {
      case NodeJoined j ->
          new NodeState(
              id,
              NodeStatus.JOINED,
              j.providers(),
              j.capabilities(),
              j.host(),
              j.tokenId(),
              j.joinedAt(),
              null,
              null,
              null,
              null,
              seq);
      case NodeWentStale w -> known(state, stored).with(NodeStatus.STALE, at, seq);
      case NodeCameBack b -> known(state, stored).with(NodeStatus.JOINED, null, seq);
      case NodeRemoved r -> removed(id, state, r, at, seq);
    };
  }

  private static NodeState known(@Nullable NodeState state, StoredEvent stored) {
    if (state == null) {
      throw new IllegalNodeEventException(
          stored.envelope().type() + " for unknown node " + stored.envelope().aggregateId());
    }
    return state;
  }

  /** A node may be removed without ever having joined (a legacy worker that only claims). */
  private static NodeState removed(
      String id, @Nullable NodeState s, NodeRemoved r, Instant at, long seq) {
    return new NodeState(
        id,
        NodeStatus.REMOVED,
        s == null ? List.of() : s.providers(),
        s == null ? List.of() : s.capabilities(),
        s == null ? null : s.host(),
        s == null ? null : s.tokenId(),
        s == null ? null : s.joinedAt(),
        null,
        at,
        r.removedBy(),
        r.reason(),
        seq);
  }
}
