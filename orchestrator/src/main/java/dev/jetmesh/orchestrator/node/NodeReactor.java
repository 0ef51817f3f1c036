package dev.jetmesh.orchestrator.node;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.model.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node sweep, on the projecting orchestrator: marks silent nodes stale (candidates from the
 * read model, decided by {@link NodeDecider} against the node's own events, with event ids derived
 * from the projected sequence so that a second orchestrator or a re-run decides once), and requeues
 * the tasks removed nodes still hold (a claim that raced the removal, or a crash between the
 * removal and its requeue). Runs on the sweeper thread.
 */
final class NodeReactor {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReactor.class);
  private static final int LIMIT = 500;

  private final NodeCommandHandler nodes;
  private final NodeQueries queries;
  private final TaskPort tasks;
  private final Clock clock;
  private final Duration staleAfter;

  NodeReactor(
      NodeCommandHandler nodes,
      NodeQueries queries,
      TaskPort tasks,
      Clock clock,
      Duration staleAfter) {
    this.nodes = nodes;
    this.queries = queries;
    this.tasks = tasks;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  void sweep() {
    if (MeshModule.sweepEach(
        queries.silentSince(clock.instant().minus(staleAfter), LIMIT), this::markStale)) {
      MeshModule.sweepEach(queries.removedHoldingTasks(), this::requeueForRemoved);
    }
  }

  private void markStale(NodeQueries.Silent s) {
    try {
      nodes.handle(
          new NodeCommand.MarkStale(s.nodeId(), s.lastSeen(), staleAfter),
          "orchestrator",
          "node-sweep",
          "node:" + s.nodeId() + ":stale@" + s.lastSeq());
    } catch (MeshException e) {
      LOG.debug("node {} not marked stale: {}", s.nodeId(), e.getMessage());
    }
  }

  private void requeueForRemoved(String node) {
    NodeState s = nodes.current(node);
    if (s == null || s.status() != NodeStatus.REMOVED) {
      return;
    }
    try {
      String by = requireNonNull(s.removedBy(), "a removed node has its remover");
      var requeued = tasks.requeueHeldBy(node, by, s.removedReason(), by, "node-sweep");
      if (!requeued.isEmpty()) {
        LOG.info("requeued {} still held by removed node {}", requeued, node);
      }
    } catch (MeshException e) {
      LOG.debug("tasks of removed node {} not requeued yet: {}", node, e.getMessage());
    }
  }
}
