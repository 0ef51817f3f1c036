package dev.jetmesh.orchestrator.plan;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Plan;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * The plan feature slice (docs/plans.md): {@code mesh.plans.*}, the plan reactor (after each
 * committed batch and on every sweep) and the read routes under {@code /api/plans} ({@link
 * PlanHttpRoutes}). Thread-safe.
 */
public final class PlanModule implements MeshModule {
  private final MeshContext ctx;
  private final PlanCommandHandler plans;
  private final PlanQueries queries;
  private final PlanReactor reactor;

  public PlanModule(MeshContext ctx) {
    this.ctx = ctx;
    this.plans = new PlanCommandHandler(ctx.store(), ctx.clock(), new PlanNotifier(ctx.bus()));
    this.queries = new PlanQueries(ctx.db());
    this.reactor = new PlanReactor(plans, queries, ctx.tasks());
  }

  @Override
  public Projection projection() {
    return Projection.of(PlanEvent.class, PlanProjector.TABLES, PlanProjector::new);
  }

  @Override
  public void register(RequestRouter router) {
    new PlanRoutes(plans, queries, ctx.tasks(), ctx.store(), ctx.watermark(), ctx.clock())
        .register(router);
  }

  @Override
  public List<String> subscriptions() {
    return List.of(Subjects.PLANS_ALL);
  }

  @Override
  public void afterCommit(List<StoredEvent> batch) {
    reactor.afterCommit(batch);
  }

  @Override
  public void sweep() {
    reactor.sweep();
  }

  @Override
  public void http(JavalinConfig config) {
    new PlanHttpRoutes(new PlanHttpQueries(ctx.db()), ctx.store()).register(config);
  }

  /** A plan's replay: the plan now, its DAG by wave and its history, straight from the stream. */
  public static PlanView view(List<StoredEvent> history) {
    Plan plan = requireNonNull(PlanEvolver.replay(history), "a history with events");
    return new PlanView(
        plan,
        PlanView.waves(plan),
        history.stream()
            .map(
                e ->
                    new PlanView.HistoryEntry(
                        e.seq(),
                        e.envelope().type(),
                        e.envelope().occurredAt(),
                        e.envelope().actor(),
                        dev.jetmesh.schema.Json.mapper().valueToTree(e.envelope().payload())))
            .toList());
  }
}
