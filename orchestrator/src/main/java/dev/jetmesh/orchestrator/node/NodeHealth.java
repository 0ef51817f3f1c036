package dev.jetmesh.orchestrator.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.wire.RequestDecoder;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.NodeStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the health beats workers publish on {@code mesh.health.<node>}: each one updates the
 * node's row in place (last seen, current task, the beat itself) and appends nothing, unless the
 * node was stale, when {@code node.came_back} is appended once. A beat is a publish, not a request:
 * a bad one is dropped (logged at debug level), never answered. Thread-safe; called on the health
 * subscription's thread, one beat at a time, so a node's beats are recorded in the order they
 * arrived.
 */
final class NodeHealth {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

  /** Larger beats are dropped: a beat is a few hundred bytes, and is stored with every beat. */
  static final int MAX_BEAT_BYTES = 64 * 1024;

  private final NodeQueries queries;
  private final NodeCommandHandler nodes;
  private final Clock clock;

  NodeHealth(NodeQueries queries, NodeCommandHandler nodes, Clock clock) {
    this.queries = queries;
    this.nodes = nodes;
    this.clock = clock;
  }

  /** One beat, as published on {@code subject}. */
  void onBeat(String subject, byte[] body) {
    String node = Subjects.nodeOfHealth(subject);
    if (node == null || body == null || body.length > MAX_BEAT_BYTES) {
      LOG.debug("health beat on {} dropped: bad subject or size", subject);
      return;
    }
    JsonNode beat;
    try {
      beat = RequestDecoder.tree(body);
    } catch (MeshException e) {
      LOG.debug("health beat of {} dropped: {}", node, e.getMessage());
      return;
    }
    // The orchestrator's clock, not the worker's: silence is measured on one clock.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Optional<NodeQueries.Beat> b = queries.beat(node, now, currentTask(beat), beat.toString());
    if (b.isEmpty()) {
      LOG.debug("health beat of {} ignored: the node has not joined, or was removed", node);
    } else if (b.get().status() == NodeStatus.STALE) {
      cameBack(node, now, b.get().lastSeq());
    }
  }

  private void cameBack(String node, Instant now, long lastSeq) {
    try {
      nodes.handle(
          new NodeCommand.MarkBack(node, now), node, "health", "node:" + node + ":back@" + lastSeq);
    } catch (MeshException e) {
      // Removed or changed meanwhile; the next beat tries again if it is still stale.
      LOG.debug("node {} not marked back: {}", node, e.getMessage());
    }
  }

  /** The beat's {@code current_task} when it is a task id; anything else counts as none. */
  static @Nullable String currentTask(JsonNode beat) {
    JsonNode t = beat.get("current_task");
    return t != null && t.isTextual() && Ids.isValid(t.textValue()) ? t.textValue() : null;
  }
}
