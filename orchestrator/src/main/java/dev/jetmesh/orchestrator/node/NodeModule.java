package dev.jetmesh.orchestrator.node;

import dev.jetmesh.orchestrator.config.NodeSettings;
import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.module.NodePort;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.StoredEvent;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node feature slice: {@code mesh.nodes.*}, the health beats on {@code mesh.health.*}, the node
 * sweep (stale nodes, tasks still held by removed ones), {@code GET /api/nodes[/<node_id>]}, and
 * the {@link NodePort} through which claims refuse removed nodes (and, where joins need a token,
 * nodes that never joined). Thread-safe.
 */
public final class NodeModule implements MeshModule, NodePort {
  private static final Logger LOG = LoggerFactory.getLogger(NodeModule.class);

  private final MeshContext ctx;
  private final NodeSettings settings;
  private final NodeQueries queries;
  private final NodeHealth health;
  private final NodeReactor reactor;
  private final NodeRoutes routes;
  private final NodeMembership membership;
  private final NodeHttpRoutes http;

  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("node-refresh").daemon().factory());
  private @Nullable AutoCloseable beats;

  public NodeModule(MeshContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.config().nodes();
    NodeCommandHandler nodes = new NodeCommandHandler(ctx.store(), ctx.clock());
    this.queries = new NodeQueries(ctx.db());
    this.health = new NodeHealth(queries, nodes, ctx.clock());
    this.reactor = new NodeReactor(nodes, queries, ctx.tasks(), ctx.clock(), settings.staleAfter());
    JoinTokens tokens = new JoinTokens(settings.joinSecret());
    this.membership = new NodeMembership(nodes, queries, tokens.required());
    this.routes =
        new NodeRoutes(
            nodes,
            queries,
            tokens,
            ctx.tasks(),
            membership,
            ctx.store(),
            ctx.watermark(),
            ctx.clock());
    this.http = new NodeHttpRoutes(routes, new NodeHttpQueries(ctx.db()));
    // Before the routes serve claims: a removed node must be refused from the first one.
    membership.refresh();
    ctx.provideNodes(this);
  }

  @Override
  public Projection projection() {
    return Projection.of(NodeEvent.class, NodeProjector.TABLES, NodeProjector::new);
  }

  @Override
  public void register(RequestRouter router) {
    routes.register(router);
  }

  @Override
  public List<String> subscriptions() {
    return List.of(Subjects.NODES_ALL);
  }

  @Override
  public void start() {
    if (settings.joinSecret() == null) {
      LOG.warn(
          "MESH_JOIN_SECRET is not set: nodes join without a token (docs/operations.md, Nodes)");
    }
    beats = ctx.bus().listen(Subjects.HEALTH_ALL, RequestRouter.QUEUE_GROUP, health::onBeat);
    long every = ctx.config().sweepInterval().toMillis();
    var unused =
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
  }

  /** Learns of joins and removals made through other orchestrators. */
  private void refresh() {
    try {
      membership.refresh();
    } catch (RuntimeException e) {
      LOG.debug("node membership not refreshed: {}", e.toString());
    }
  }

  @Override
  public void afterCommit(List<StoredEvent> batch) {
    for (StoredEvent e : batch) {
      switch (e.event()) {
        case NodeEvent.NodeJoined j -> membership.joined(j.nodeId());
        case NodeEvent.NodeRemoved r -> membership.removed(e.envelope().aggregateId());
        default -> {}
      }
    }
  }

  @Override
  public void sweep() {
    reactor.sweep();
  }

  @Override
  public @Nullable String claimRefusal(String nodeId) {
    return membership.claimRefusal(nodeId);
  }

  @Override
  public void http(JavalinConfig config) {
    http.register(config);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    if (beats != null) {
      try {
        beats.close();
      } catch (Exception e) {
        LOG.debug("health listener not closed: {}", e.toString());
      }
    }
  }
}
