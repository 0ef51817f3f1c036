package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.api.EventPages;
import dev.jetmesh.orchestrator.api.QueryParams;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.Transcripts;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.AttemptOutcome;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task slice's read routes: {@code GET /api/tasks} (filtered, paged), {@code
 * /api/tasks/{task_id}} (the task with its attempts, plan, session and links), {@code
 * /api/tasks/{task_id}/events}, {@code /api/tasks/{task_id}/attempts/{attempt}/output} (an
 * attempt's transcript) and {@code GET /api/attempts} (attempts across tasks). Thread-safe.
 */
final class TaskHttpRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(TaskHttpRoutes.class);

  /** How long a task's read waits for its own attempts to be projected. */
  private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(2);

  private final TaskCommandHandler handler;
  private final TaskQueries queries;
  private final TaskHttpQueries reads;
  private final AttemptHttpQueries attemptReads;
  private final Transcripts transcripts;
  private final EventLog log;
  private final Watermark watermark;

  TaskHttpRoutes(
      TaskCommandHandler handler,
      TaskQueries queries,
      Database db,
      Transcripts transcripts,
      Watermark watermark) {
    this.handler = handler;
    this.queries = queries;
    this.reads = new TaskHttpQueries(db);
    this.attemptReads = new AttemptHttpQueries(db);
    this.transcripts = transcripts;
    this.log = new EventLog(db);
    this.watermark = watermark;
  }

  void register(JavalinConfig cfg) {
    cfg.routes.get("/api/tasks", this::list);
    cfg.routes.get("/api/tasks/{task_id}", this::one);
    cfg.routes.get("/api/tasks/{task_id}/events", this::events);
    cfg.routes.get("/api/tasks/{task_id}/attempts/{attempt}/output", this::output);
    cfg.routes.get("/api/attempts", this::attempts);
  }

  private void list(Context c) {
    QueryParams q =
        QueryParams.of(
            c, "status", "owner", "tag", "plan", "session", "since", "order", "limit", "cursor");
    TaskOrder order = q.parsed("order", TaskOrder::fromWire);
    if (order == null) {
      order = TaskOrder.CLAIM;
    }
    c.json(
        reads.tasks(
            new TaskHttpQueries.TaskFilter(
                q.parsed("status", TaskStatus::fromWire),
                q.id("owner"),
                q.text("tag"),
                q.id("plan"),
                q.id("session"),
                q.instant("since")),
            order,
            q.cursor(order.cursorKind(), order.cursorKeys()),
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
    body.set("attempts", Json.mapper().valueToTree(attemptReads.attemptsOf(id)));
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
        attemptReads.attempts(
            new AttemptHttpQueries.AttemptFilter(
                q.id("task"),
                q.text("provider"),
                q.text("model"),
                q.id("node"),
                q.parsed("outcome", AttemptOutcome::fromWire),
                q.instant("since")),
            q.cursor(AttemptHttpQueries.ATTEMPTS, 1),
            q.limit()));
  }

  /**
   * The transcript of the task's {@code attempt}th attempt, streamed from the object store as it
   * arrives: a transcript of any size costs one chunk of memory. Once the first byte is sent the
   * status cannot change, so a failure after that only cuts the body short (and is logged).
   */
  private void output(Context c) throws InterruptedException {
    QueryParams.of(c);
    String id = QueryParams.pathId(c, "task_id");
    int n = attemptNumber(c.pathParam("attempt"));
    AttemptHttpQueries.AttemptView a =
        attemptReads
            .nthAttempt(id, n)
            .orElseThrow(
                () -> {
                  existing(id);
                  return notFound("Task " + id + " has no attempt " + n);
                });
    JsonNode out = a.output();
    if (out == null || a.links().output() == null) {
      throw notFound(
          "Attempt "
              + n
              + " of task "
              + id
              + (out == null
                  ? " kept no output"
                  : " kept its output outside " + Transcripts.BUCKET));
    }
    String name = out.path("name").asText();
    OptionalLong size = transcripts.size(name);
    if (size.isEmpty()) {
      throw notFound(
          "The output of attempt "
              + n
              + " of task "
              + id
              + " is no longer in "
              + Transcripts.BUCKET);
    }
    c.contentType("text/plain; charset=utf-8");
    // A worker wrote these bytes: a browser must not take them for anything but text. The length
    // lets a client tell a body cut short (a failure after the status was sent) from a whole one.
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Content-Length", String.valueOf(size.getAsLong()));
    try {
      transcripts.copy(name, c.outputStream());
    } catch (IOException e) {
      LOG.warn("output {} of task {} cut short: {}", name, id, e.toString());
    }
  }

  /** The {@code {attempt}} path segment: 1, 2, … and nothing else (no sign, no path, no spaces). */
  static int attemptNumber(String raw) {
    if (raw.length() <= 6 && raw.matches("[1-9][0-9]*")) {
      return Integer.parseInt(raw);
    }
    throw new InvalidRequestException(
        "Invalid attempt: must be the attempt's place in its task's history (1 for the first), as"
            + " links.output gives it");
  }

  private static CommandRejectedException notFound(String detail) {
    return new CommandRejectedException(ErrorCode.NOT_FOUND, detail);
  }

  private Task existing(String id) {
    Task t = handler.current(id);
    if (t == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Task " + id + " not found");
    }
    return t;
  }
}
