package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.wire.RequestDecoder.blank;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.decode;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.requiredId;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.TaskCommand.Fence;
import dev.jetmesh.orchestrator.wire.RequestDecoder;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import dev.jetmesh.schema.wire.TaskRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mesh.tasks.*} subjects: decode and validate each request, run it as a command or a
 * query, and shape the reply as the reference does. Thread-safe.
 */
public final class TaskRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRoutes.class);
  private static final int DEFAULT_LIST_LIMIT = 1000;
  private static final int MAX_LIST_LIMIT = 10_000;
  private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(2);

  private final TaskCommandHandler handler;
  private final ClaimService claims;
  private final TaskQueries queries;
  private final TaskNotifier notifier;
  private final EventStore store;
  private final Watermark watermark;
  private final Clock clock;
  private final boolean strictClaims;
  private final Submitter submitter;

  /** Appends a submission and runs what follows it: the module's submit listeners. */
  @FunctionalInterface
  interface Submitter {
    Task submit(TaskSpec spec, String actor, String causationId, @Nullable String eventIdSeed);
  }

  public TaskRoutes(
      TaskCommandHandler handler,
      ClaimService claims,
      TaskQueries queries,
      TaskNotifier notifier,
      EventStore store,
      Watermark watermark,
      Clock clock,
      boolean strictClaims,
      Submitter submitter) {
    this.handler = handler;
    this.claims = claims;
    this.queries = queries;
    this.notifier = notifier;
    this.store = store;
    this.watermark = watermark;
    this.clock = clock;
    this.strictClaims = strictClaims;
    this.submitter = submitter;
  }

  /** Registers every {@code mesh.tasks.*} subject on {@code router}. */
  public void register(RequestRouter router) {
    router
        .route(Subjects.tasks("submit"), this::submit)
        .route(Subjects.tasks("claim"), this::claim)
        .route(Subjects.tasks("start"), this::start)
        .route(Subjects.tasks("attempt"), this::attempt)
        .route(Subjects.tasks("heartbeat"), this::heartbeat)
        .route(Subjects.tasks("complete"), this::complete)
        .route(Subjects.tasks("fail"), this::fail)
        .route(Subjects.tasks("release"), this::release)
        .route(Subjects.tasks("cancel"), this::cancel)
        .route(Subjects.tasks("get"), this::get)
        .route(Subjects.tasks("list"), this::list);
  }

  Object submit(byte[] body) {
    TaskRequests.Submit r = decode(body, TaskRequests.Submit.class);
    TaskSpec spec = TaskInput.spec(r);
    // the listeners create e.g. the collaboration session now: a join after the reply finds it
    Task t = submitter.submit(spec, "client", Ids.randomUuid().toString(), null);
    return TaskDocs.raw(t);
  }

  /**
   * A claim, decided in this process: the primary's claim index, or the read model when no
   * orchestrator is primary (the router forwards claims to the primary, so claimers never race for
   * one queue head).
   */
  @Nullable Object claim(byte[] body) {
    return claimHere(claimingNode(body));
  }

  /** The claim's node, validated. */
  private static String claimingNode(byte[] body) {
    TaskRequests.Claim r = decode(body, TaskRequests.Claim.class);
    if (blank(r.nodeId())) {
      throw new InvalidRequestException("node_id is required");
    }
    return Ids.require("node_id", r.nodeId());
  }

  /** A claim decided in this process. */
  private @Nullable Object claimHere(String node) {
    String causation = Ids.randomUuid().toString();
    Optional<Task> t =
        OwnWritesClaim.claim(
            () -> claims.claim(node, causation),
            watermark::current,
            store.highestAppended(),
            this::awaitProjected);
    return t.map(TaskDocs::raw).orElse(null);
  }

  private boolean awaitProjected(long seq) {
    try {
      return watermark.awaitAtLeast(seq, READ_YOUR_WRITES_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Object start(byte[] body) {
    TaskRequests.Ref r = decode(body, TaskRequests.Ref.class);
    return run(
            new TaskCommand.StartTask(
                requiredId("task_id", r.taskId()), fence(r.nodeId(), r.claimToken())),
            r.nodeId())
        .reply();
  }

  Object attempt(byte[] body) {
    TaskRequests.RecordAttempt r = decode(body, TaskRequests.RecordAttempt.class);
    String id = requiredId("task_id", r.taskId());
    Fence f = fence(r.nodeId(), r.claimToken());
    Attempt a = TaskInput.attempt(r);
    TaskCommandHandler.Outcome o = run(new TaskCommand.RecordAttempt(id, a, f), r.nodeId());
    warnIfUnenforceable(o.task(), a);
    return o.reply();
  }

  /**
   * An attempt of unknown cost on a task with a money budget cannot count against it (unknown is
   * never 0): say so where an operator looks, once per attempt.
   */
  private static void warnIfUnenforceable(Task t, Attempt a) {
    if (t.budgetUsd() != null && a.costUsd() == null) {
      LOG.warn(
          "task {} has budget_usd {} but attempt {} reported no cost: the budget cannot be"
              + " enforced for it",
          t.taskId(),
          t.budgetUsd().toPlainString(),
          a.attempt());
    }
  }

  Object complete(byte[] body) {
    TaskRequests.Complete r = decode(body, TaskRequests.Complete.class);
    TaskInput.objectOrNull("result", r.result());
    return run(
            new TaskCommand.CompleteTask(
                requiredId("task_id", r.taskId()), r.result(), fence(r.nodeId(), r.claimToken())),
            r.nodeId())
        .reply();
  }

  Object fail(byte[] body) {
    TaskRequests.Fail r = decode(body, TaskRequests.Fail.class);
    return run(
            new TaskCommand.FailTask(
                requiredId("task_id", r.taskId()),
                r.reason(),
                TaskInput.attempts(r.attempts()),
                fence(r.nodeId(), r.claimToken())),
            r.nodeId())
        .reply();
  }

  Object release(byte[] body) {
    TaskRequests.Fail r = decode(body, TaskRequests.Fail.class);
    return run(
            new TaskCommand.ReleaseTask(
                requiredId("task_id", r.taskId()),
                r.reason(),
                TaskInput.attempts(r.attempts()),
                fence(r.nodeId(), r.claimToken())),
            r.nodeId())
        .reply();
  }

  Object cancel(byte[] body) {
    TaskRequests.Cancel r = decode(body, TaskRequests.Cancel.class);
    String actor = r.nodeId() == null ? "client" : Ids.require("node_id", r.nodeId());
    return run(
            new TaskCommand.CancelTask(requiredId("task_id", r.taskId()), r.reason(), actor), actor)
        .reply();
  }

  /**
   * Heartbeats are liveness, not history: they update {@code task_liveness} and append nothing.
   * Besides {@code task_id}, {@code node_id} and {@code claim_token}, only {@code activity_*}
   * fields are accepted (the reference agent sends {@code activity_state}); they are kept as the
   * latest activity.
   */
  Object heartbeat(byte[] body) {
    JsonNode tree = RequestDecoder.tree(body);
    ObjectNode activity = dev.jetmesh.schema.Json.mapper().createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> it = tree.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.startsWith("activity_")) {
        activity.set(k, e.getValue());
      } else if (!k.equals("task_id") && !k.equals("node_id") && !k.equals("claim_token")) {
        throw new InvalidRequestException("Unknown field '" + k + "'");
      }
    }
    ObjectNode refOnly = tree.deepCopy();
    activity.fieldNames().forEachRemaining(refOnly::remove);
    TaskRequests.Ref r = RequestDecoder.bind(refOnly, TaskRequests.Ref.class);
    String id = requiredId("task_id", r.taskId());
    Fence f = fence(r.nodeId(), r.claimToken());
    Task t = handler.current(id);
    if (t == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Task " + id + " not found");
    }
    Decision.Reject<TaskEvent> refused = TaskFences.refuse(t, f, "heartbeat");
    if (refused != null) {
      throw refused.toException();
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    queries.touch(
        id,
        r.nodeId() != null ? r.nodeId() : Objects.requireNonNull(t.owner()),
        now,
        activity.isEmpty() ? null : activity.toString());
    notifier.heartbeat(TaskQueries.withLastActivity(t, now), now);
    return new TaskRequests.HeartbeatAck(id, now);
  }

  /** Answered from the aggregate, so a client sees its own writes at once. */
  Object get(byte[] body) {
    TaskRequests.Ref r = decode(body, TaskRequests.Ref.class);
    String id = requiredId("task_id", r.taskId());
    Task t = handler.current(id);
    if (t == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Task " + id + " not found");
    }
    return queries.lastActivity(id).map(at -> TaskQueries.withLastActivity(t, at)).orElse(t);
  }

  /** Answered from Postgres once the projector has passed this process's last append (bounded). */
  Object list(byte[] body) throws InterruptedException {
    TaskRequests.ListTasks r = decode(body, TaskRequests.ListTasks.class);
    TaskStatus status = r.status() == null ? null : TaskStatus.fromWire(r.status());
    if (r.owner() != null) {
      Ids.require("owner", r.owner());
    }
    int limit = r.limit() == null ? DEFAULT_LIST_LIMIT : r.limit();
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_LIST_LIMIT);
    }
    watermark.awaitAtLeast(store.highestAppended(), READ_YOUR_WRITES_WAIT);
    return queries.list(status, r.owner(), r.tag(), limit);
  }

  private TaskCommandHandler.Outcome run(TaskCommand c, @Nullable String actor) {
    return handler.handle(c, actor == null ? "client" : actor, Ids.randomUuid().toString(), null);
  }

  private Fence fence(@Nullable String nodeId, @Nullable Long claimToken) {
    if (nodeId != null) {
      Ids.require("node_id", nodeId);
    }
    if (strictClaims) {
      return new Fence(nodeId, claimToken, true);
    }
    return nodeId == null && claimToken == null ? Fence.LEGACY : new Fence(nodeId, claimToken);
  }
}
