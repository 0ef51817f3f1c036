package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Task;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * The collab feature slice: the {@code mesh.collab.*} subjects, the reactor that takes the session
 * decisions, and {@code GET /api/collab/{session_id}} and {@code .../replay}. Thread-safe.
 */
public final class CollabModule implements MeshModule {
  private final MeshContext ctx;
  private final CollabCommandHandler handler;
  private final CollabReactor reactor;
  private final CollabRoutes routes;

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
    ctx.tasks().onSubmitted(this::submitted);
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
   * The submit path: creates the session of a just-submitted task with a collaboration spec. The
   * reactor and the sweep create it too (same event id), so a crash between the two appends cannot
   * lose it.
   */
  private void submitted(Task t) {
    if (t.collaboration() != null) {
      try {
        reactor.create(t, "submit:" + t.taskId(), false);
      } catch (RuntimeException e) {
        // the sweep retries
      }
    }
  }

  @Override
  public void http(JavalinConfig config) {
    config.routes.get(
        "/api/collab/{session_id}",
        c -> {
          String sid = Ids.require("session_id", c.pathParam("session_id"));
          CollabSession s = handler.current(sid);
          if (s == null) {
            throw notFound(sid);
          }
          c.json(s);
        });
    config.routes.get(
        "/api/collab/{session_id}/replay",
        c -> {
          String sid = Ids.require("session_id", c.pathParam("session_id"));
          List<StoredEvent> events = ctx.store().read(Subjects.collabEvents(sid));
          if (events.isEmpty()) {
            throw notFound(sid);
          }
          CollabReplay.Report r = CollabReplay.replay(sid, events);
          if ("text".equals(c.queryParam("format"))) {
            c.contentType("text/plain").result(r.text());
          } else {
            c.json(r);
          }
        });
  }

  private static CommandRejectedException notFound(String sessionId) {
    return new CommandRejectedException(ErrorCode.NOT_FOUND, "Session " + sessionId + " not found");
  }

  MeshContext context() {
    return ctx;
  }
}
