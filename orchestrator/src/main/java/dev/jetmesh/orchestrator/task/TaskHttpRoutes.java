package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.api.EventPages;
import dev.jetmesh.orchestrator.api.QueryParams;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.AttemptOutcome;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * The task slice's read routes: {@code GET /api/tasks} (filtered, paged), {@code
 * /api/tasks/{task_id}} (the task with its attempts, plan, session and links), {@code
 * /api/tasks/{task_id}/events} and {@code GET /api/attempts} (attempts across tasks). Thread-safe.
 */
final class TaskHttpRoutes {
  /** How long a task's read waits for its own attempts to be projected. */
  private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(2);

  private final TaskCommandHandler handler;
  private final TaskQueries queries;
  private final TaskHttpQueries reads;
  private final EventLog log;
  private final Watermark watermark;

  TaskHttpRoutes(
      TaskCommandHandler handler,
      TaskQueries queries,
      TaskHttpQueries reads,
      EventLog log,
      Watermark watermark) {
    this.handler = handler;
    this.queries = queries;
    this.reads = reads;
    this.log = log;
    this.watermark = watermark;
  }

  void register(JavalinConfig cfg) {
    cfg.routes.get("/api/tasks", this::list);
    cfg.routes.get("/api/tasks/{task_id}", this::one);
    cfg.routes.get("/api/tasks/{task_id}/events", this::events);
    cfg.routes.get("/api/attempts", this::attempts);
  }

  private void list(Context c) {
    QueryParams q =
        QueryParams.of(c, "status", "owner", "tag", "plan", "session", "since", "limit", "cursor");
    c.json(
        reads.tasks(
            new TaskHttpQueries.TaskFilter(
                q.parsed("status", TaskStatus::fromWire),
                q.id("owner"),
                q.text("tag"),
                q.id("plan"),
                q.id("session"),
                q.instant("since")),
            q.cursor(TaskHttpQueries.TASKS, 3),
            q.limit()));
  }

  /**
   * The task from its own events (read-your-writes, as {@code mesh.tasks.get}), its attempts from
   * the read model once that has caught up with the task (bounded wait), so both show the same
   * attempts.
   */
  private void one(Context c) throws InterruptedException {
    QueryParams.of(c);
    String id = QueryParams.pathId(c, "task_id");
    Task t = existing(id);
    Task task = queries.lastActivity(id).map(at -> TaskQueries.withLastActivity(t, at)).orElse(t);
    watermark.awaitAtLeast(task.version(), READ_YOUR_WRITES_WAIT);
    String plan = reads.planOf(id).orElse(null);
    ObjectNode body = Json.mapper().valueToTree(task);
    body.set("attempts", Json.mapper().valueToTree(reads.attemptsOf(id)));
    body.put("session_id", task.collabSessionId());
    body.put("plan_id", plan);
    ObjectNode links = body.putObject("links");
    links.put("self", "/api/tasks/" + id);
    links.put("events", "/api/tasks/" + id + "/events");
    links.put("live", "/api/events?aggregate=task&id=" + id);
    links.put("attempts", "/api/attempts?task=" + id);
    links.put(
        "session", task.collabSessionId() == null ? null : "/api/collab/" + task.collabSessionId());
    links.put("plan", plan == null ? null : "/api/plans/" + plan);
    c.json(body);
  }

  private void events(Context c) {
    QueryParams q = QueryParams.of(c, "limit", "cursor");
    String id = QueryParams.pathId(c, "task_id");
    existing(id);
    c.json(EventPages.page(log, "task", id, q));
  }

  private void attempts(Context c) {
    QueryParams q =
        QueryParams.of(
            c, "task", "provider", "model", "node", "outcome", "since", "limit", "cursor");
    c.json(
        reads.attempts(
            new TaskHttpQueries.AttemptFilter(
                q.id("task"),
                q.text("provider"),
                q.text("model"),
                q.id("node"),
                q.parsed("outcome", AttemptOutcome::fromWire),
                q.instant("since")),
            q.cursor(TaskHttpQueries.ATTEMPTS, 1),
            q.limit()));
  }

  private Task existing(String id) {
    Task t = handler.current(id);
    if (t == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Task " + id + " not found");
    }
    return t;
  }
}
