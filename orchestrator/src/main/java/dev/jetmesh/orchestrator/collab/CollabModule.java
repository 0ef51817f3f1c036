package dev.jetmesh.orchestrator.collab;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Task;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * The collab feature slice: the {@code mesh.collab.*} subjects, the reactor that takes the session
 * decisions, and the read routes under {@code /api/collab} ({@link CollabHttpRoutes}). Thread-safe.
 */
public final class CollabModule implements MeshModule {
  private final MeshContext ctx;
  private final CollabCommandHandler handler;
  private final CollabReactor reactor;
  private final CollabRoutes routes;
  private final CollabHttpRoutes http;

  public CollabModule(MeshContext ctx) {
    this.ctx = ctx;
    this.handler =
        new CollabCommandHandler(ctx.store(), ctx.clock(), new CollabNotifier(ctx.bus()));
    CollabQueries queries = new CollabQueries(ctx.db());
    this.reactor =
        new CollabReactor(
            handler,
            queries,
            ctx.tasks(),
            ctx.bus(),
            ctx.clock(),
            ctx.config().stallThreshold(),
            ctx.config().aliveTimeout(),
            ctx.config().collab());
    this.routes = new CollabRoutes(handler, queries, ctx.tasks(), reactor, ctx.clock());
    this.http =
        new CollabHttpRoutes(
            handler, new CollabHttpQueries(ctx.db()), new EventLog(ctx.db()), ctx.store());
    ctx.tasks().onSubmitted(this::submitted);
    ctx.tasks().guardClaims(new CollabClaimGuard(handler, Ticker.systemTicker())::refusal);
  }

  @Override
  public Projection projection() {
    return Projection.of(CollabEvent.class, CollabProjector.TABLES, CollabProjector::new);
  }

  @Override
  public void register(RequestRouter router) {
    routes.register(router);
  }

  @Override
  public List<String> subscriptions() {
    return List.of(Subjects.COLLAB_ALL);
  }

  @Override
  public void afterCommit(List<StoredEvent> batch) {
    reactor.afterCommit(batch);
  }

  @Override
  public void sweep() {
    reactor.sweep();
  }

  /**
   * The submit path (a client's, on its request thread, or a plan's, on the projector's or the
   * sweeper's thread): creates the session of a just-submitted task with a collaboration spec. The
   * reactor and the sweep (while the task is queued) and the first join create it too (same event
   * id), so a crash between the two appends cannot lose it.
   */
  private void submitted(Task t) {
    if (t.collaboration() != null) {
      reactor.create(t, "submit:" + t.taskId(), false); // a failure is logged by the task module
    }
  }

  @Override
  public void http(JavalinConfig config) {
    http.register(config);
  }

  MeshContext context() {
    return ctx;
  }
}
