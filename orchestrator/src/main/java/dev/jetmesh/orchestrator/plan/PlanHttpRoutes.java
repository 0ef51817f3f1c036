package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.api.QueryParams;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.PlanStatus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * The plan slice's read routes: {@code GET /api/plans} (paged summaries with progress) and {@code
 * /api/plans/{plan_id}}: the plan replayed from its events (read-your-writes), its subtasks by
 * wave, its progress and its history. Thread-safe.
 */
final class PlanHttpRoutes {
  private final PlanHttpQueries reads;
  private final EventStore store;

  PlanHttpRoutes(PlanHttpQueries reads, EventStore store) {
    this.reads = reads;
    this.store = store;
  }

  void register(JavalinConfig cfg) {
    cfg.routes.get("/api/plans", this::list);
    cfg.routes.get("/api/plans/{plan_id}", this::one);
  }

  private void list(Context c) {
    QueryParams q = QueryParams.of(c, "status", "parent_task_id", "limit", "cursor");
    c.json(
        reads.plans(
            q.parsed("status", PlanStatus::fromWire),
            q.id("parent_task_id"),
            q.cursor(PlanHttpQueries.KIND, 2),
            q.limit()));
  }

  private void one(Context c) {
    QueryParams.of(c);
    String id = QueryParams.pathId(c, "plan_id");
    List<StoredEvent> history = store.read(Subjects.planEvents(id));
    if (history.isEmpty()) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Plan " + id + " not found");
    }
    PlanView view = PlanModule.view(history);
    ObjectNode body = Json.mapper().valueToTree(view.plan());
    body.set("waves", Json.mapper().valueToTree(view.waves()));
    body.set(
        "progress", Json.mapper().valueToTree(PlanHttpQueries.Progress.of(view.plan().subtasks())));
    body.set(
        "history",
        Json.mapper()
            .valueToTree(
                history.stream()
                    .map(
                        e ->
                            new EventLog.Entry(
                                e.seq(),
                                e.envelope().type(),
                                e.envelope().aggregate(),
                                e.envelope().aggregateId(),
                                e.envelope().occurredAt(),
                                e.envelope().actor(),
                                Json.mapper().valueToTree(e.envelope().payload())))
                    .toList()));
    ObjectNode links = body.putObject("links");
    links.put("self", "/api/plans/" + id);
    links.put("live", "/api/events?aggregate=plan&id=" + id);
    links.put("parent_task", "/api/tasks/" + view.plan().parentTaskId());
    c.json(body);
  }
}
