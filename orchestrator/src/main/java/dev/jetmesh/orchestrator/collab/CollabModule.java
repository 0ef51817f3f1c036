package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Task;
import io.javalin.config.JavalinConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
    ctx.tasks().guardClaims(this::claimRefusal);
  }

  /**
   * A node claims a collaboration task to join its session, so it may claim it only while it could
   * join. A session that is full, no longer recruiting or over has its members and settles the task
   * itself; a node that claimed it anyway could only hold it, idle, until then. A session not
   * created yet is no reason to refuse: the claimer's join creates it.
   *
   * <p>Asks the session as this process last knew it ({@code load}: a cache, read from the stream
   * on a miss, and each time while the session does not exist). A stale entry mostly lets a claim
   * through, as before this guard; it refuses one wrongly only when a member left, or a seat was
   * freed, through another orchestrator, until this process next decides on that session.
   */
  private @Nullable String claimRefusal(Task t, String nodeId) {
    String sid = t.collabSessionId();
    if (sid == null) {
      return null; // not a collaboration task
    }
    CollabSession s = handler.load(sid);
    String why = s == null ? null : CollabDecider.joinRefusal(s, nodeId);
    return why == null
        ? null
        : nodeId + " could not join its collaboration session " + sid + ": " + why;
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
