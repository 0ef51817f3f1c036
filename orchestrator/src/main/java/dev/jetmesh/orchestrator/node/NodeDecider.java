package dev.jetmesh.orchestrator.node;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.node.NodeCommand.JoinNode;
import dev.jetmesh.orchestrator.node.NodeCommand.MarkBack;
import dev.jetmesh.orchestrator.node.NodeCommand.MarkStale;
import dev.jetmesh.orchestrator.node.NodeCommand.RemoveNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.NodeEvent.NodeCameBack;
import dev.jetmesh.schema.events.NodeEvent.NodeJoined;
import dev.jetmesh.schema.events.NodeEvent.NodeRemoved;
import dev.jetmesh.schema.events.NodeEvent.NodeWentStale;
import dev.jetmesh.schema.model.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides node commands: a pure function of the current state (null when the node has no events),
 * the command and the time. Liveness decisions (stale, back) are taken only on a change of state,
 * so a node that beats every 15 seconds for a year appends nothing after its join.
 */
public final class NodeDecider {
  private NodeDecider() {}

  public static Decision<NodeEvent> decide(
      @Nullable NodeState state, NodeCommand command, Instant now) {
    return switch (command) {
      case JoinNode j -> join(state, j, now);
      case MarkStale m -> stale(state, m, now);
      case MarkBack b -> back(state, b);
      case RemoveNode r -> remove(state, r);
    };
  }

  private static Decision<NodeEvent> join(@Nullable NodeState s, JoinNode j, Instant now) {
    if (s != null && s.status() == NodeStatus.REMOVED) {
      return Decision.reject(
          ErrorCode.UNAUTHORIZED,
          "Node " + j.nodeId() + " was removed from the mesh: it cannot join again");
    }
    if (s != null && s.status() == NodeStatus.JOINED && sameFacts(s, j)) {
      return Decision.accept(); // a repeated join (a retry after a lost reply) changes nothing
    }
    return Decision.accept(
        new NodeJoined(j.nodeId(), j.providers(), j.capabilities(), j.host(), j.tokenId(), now));
  }

  private static boolean sameFacts(NodeState s, JoinNode j) {
    return s.providers().equals(j.providers())
        && s.capabilities().equals(j.capabilities())
        && Objects.equals(s.host(), j.host())
        && Objects.equals(s.tokenId(), j.tokenId());
  }

  private static Decision<NodeEvent> stale(@Nullable NodeState s, MarkStale m, Instant now) {
    if (s == null) {
      return Decision.reject(ErrorCode.NOT_FOUND, "Node " + m.nodeId() + " not found");
    }
    if (s.status() != NodeStatus.JOINED) {
      return Decision.accept(); // stale already, or removed: nothing changes
    }
    // A join is a sign of life too, and the read model's last beat may predate a re-join.
    Instant seen = requireNonNull(later(m.lastSeen(), s.joinedAt()), "a joined node has joined_at");
    Duration silent = Duration.between(seen, now);
    if (silent.compareTo(m.threshold()) <= 0) {
      return Decision.accept(); // it beat (or joined) again since the sweep looked
    }
    return Decision.accept(new NodeWentStale(seen, silent.toSeconds(), m.threshold().toSeconds()));
  }

  private static Decision<NodeEvent> back(@Nullable NodeState s, MarkBack b) {
    if (s == null) {
      return Decision.reject(ErrorCode.NOT_FOUND, "Node " + b.nodeId() + " not found");
    }
    return s.status() == NodeStatus.STALE
        ? Decision.accept(new NodeCameBack(b.seenAt()))
        : Decision.accept();
  }

  private static Decision<NodeEvent> remove(@Nullable NodeState s, RemoveNode r) {
    if (s != null && s.status() == NodeStatus.REMOVED) {
      return Decision.reject(
          ErrorCode.CONFLICT,
          "Node " + r.nodeId() + " was already removed (by " + s.removedBy() + ")");
    }
    if (s == null && !r.worked() && !r.force()) {
      // A typo would otherwise block a name for good: removal cannot be undone.
      return Decision.reject(
          ErrorCode.NOT_FOUND,
          "Node "
              + r.nodeId()
              + " not found: no node of that id joined or worked here (to remove the name"
              + " anyway: force true, or the CLI's --force)");
    }
    String reason = r.reason() == null || r.reason().isBlank() ? null : r.reason();
    return Decision.accept(new NodeRemoved(r.removedBy(), reason));
  }

  private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
