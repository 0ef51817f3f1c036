package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.store.Transcripts;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import io.javalin.config.JavalinConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task aggregate plugged into the orchestrator: {@code mesh.tasks.*}, the task projection and
 * the claim index it keeps, the budget and stall timers, the read routes ({@code /api/tasks},
 * {@code /api/attempts}), and the {@link TaskPort} through which sessions and plans act on tasks.
 * Thread-safe.
 */
public final class TaskModule implements MeshModule, TaskPort {
  private static final Logger LOG = LoggerFactory.getLogger(TaskModule.class);

  private final OrchestratorConfig config;
  private final TaskCommandHandler handler;
  private final TaskQueries queries;
  private final ClaimIndex claimIndex = new ClaimIndex();
  private final TaskProjection projection;
  private final TaskTimers timers;
  private final TaskRoutes routes;
  private final TaskHttpRoutes http;
  private final List<Consumer<Task>> submitted = new CopyOnWriteArrayList<>();
  private final List<ClaimGuard> claimGuards = new CopyOnWriteArrayList<>();
  private @Nullable RequestRouter router;
  private boolean started;

  public TaskModule(MeshContext ctx) {
    this.config = ctx.config();
    TaskNotifier notifier = new TaskNotifier(ctx.bus());
    this.handler = new TaskCommandHandler(ctx.store(), ctx.clock(), notifier);
    TaskQueries queries = new TaskQueries(ctx.db());
    this.projection = new TaskProjection(ctx.db(), claimIndex);
    this.queries = queries;
    ClaimService claims =
        new ClaimService(
            queries,
            claimIndex,
            handler,
            ctx.watermark(),
            node -> ctx.nodes().claimRefusal(node),
            this::claimRefusal,
            () -> ctx.store().lastSequence());
    this.timers =
        new TaskTimers(
            queries,
            handler,
            ctx.bus(),
            ctx.clock(),
            config.stallThreshold(),
            config.aliveTimeout());
    this.routes =
        new TaskRoutes(
            handler,
            claims,
            queries,
            notifier,
            ctx.store(),
            ctx.watermark(),
            ctx.clock(),
            config.nodes().strictClaims(),
            this::submit);
    this.http =
        new TaskHttpRoutes(
            handler, queries, ctx.db(), new Transcripts(ctx.store()), ctx.watermark());
    claimIndex.onLive(this::primaryWhileIndexLive);
    ctx.provideTasks(this);
  }

  @Override
  public Projection projection() {
    return projection;
  }

  @Override
  public void register(RequestRouter router) {
    routes.register(router);
    this.router = router;
  }

  /**
   * This process is the primary, which decides every request, while it holds the live claim index
   * (its projector runs), and a standby that forwards them otherwise.
   */
  private synchronized void primaryWhileIndexLive(boolean live) {
    if (started && router != null) {
      router.primary(live);
    }
  }

  @Override
  public List<String> subscriptions() {
    return List.of(Subjects.TASKS_ALL);
  }

  @Override
  public void http(JavalinConfig config) {
    http.register(config);
  }

  @Override
  public void start() {
    timers.start(config.budgetInterval(), config.stallInterval());
    synchronized (this) {
      started = true;
    }
    primaryWhileIndexLive(claimIndex.live());
  }

  @Override
  public void close() {
    primaryWhileIndexLive(false);
    timers.close();
  }

  /** The in-memory claim index; live while this process's projector runs. */
  public ClaimIndex claimIndex() {
    return claimIndex;
  }

  public TaskCommandHandler commands() {
    return handler;
  }

  public TaskTimers timers() {
    return timers;
  }

  // --- TaskPort ---

  @Override
  public @Nullable Task load(String taskId) {
    return handler.load(taskId);
  }

  @Override
  public @Nullable Task current(String taskId) {
    return handler.current(taskId);
  }

  @Override
  public @Nullable Task projected(String taskId) {
    return projection.committed(taskId);
  }

  @Override
  public Task submit(
      TaskSpec spec, String actor, String causationId, @Nullable String eventIdSeed) {
    Task t =
        handler.handle(new TaskCommand.SubmitTask(spec), actor, causationId, eventIdSeed).task();
    afterSubmit(t);
    return t;
  }

  @Override
  public void settle(
      String taskId,
      String by,
      Outcome outcome,
      @Nullable String reason,
      @Nullable JsonNode result,
      List<Attempt> attempts,
      String actor,
      String causationId,
      String eventIdSeed) {
    TaskCommand.Settle.Outcome o =
        switch (outcome) {
          case COMPLETE -> TaskCommand.Settle.Outcome.COMPLETE;
          case FAIL -> TaskCommand.Settle.Outcome.FAIL;
          case RELEASE -> TaskCommand.Settle.Outcome.RELEASE;
        };
    handler.handle(
        new TaskCommand.Settle(taskId, by, o, reason, result, attempts),
        actor,
        causationId,
        eventIdSeed);
  }

  @Override
  public void holdForPlan(String taskId, String planId, String actor, String causationId) {
    handler.handle(
        new TaskCommand.HoldForPlan(taskId, planId),
        actor,
        causationId,
        "plan:" + planId + ":hold:" + taskId);
  }

  @Override
  public List<String> requeueHeldBy(
      String nodeId, String by, @Nullable String reason, String actor, String causationId) {
    List<String> fromIndex = claimIndex.heldIfLive(nodeId);
    List<String> held =
        fromIndex != null ? fromIndex : queries.claimContext(nodeId, List.of()).held();
    List<String> requeued = new ArrayList<>();
    for (String id : held) {
      Task t = handler.current(id);
      if (t == null || !t.status().isActive() || !nodeId.equals(t.owner())) {
        continue;
      }
      try {
        handler.handle(
            new TaskCommand.RequeueTask(id, nodeId, by, reason),
            actor,
            causationId,
            "requeue:" + id + ":" + t.claimToken());
        requeued.add(id);
      } catch (CommandRejectedException e) {
        // Ended or re-claimed since it was read: no longer the removed node's to give back.
      }
    }
    return requeued;
  }

  /** The submitted listeners; one that throws neither stops the others nor fails the submission. */
  private void afterSubmit(Task t) {
    for (Consumer<Task> l : submitted) {
      try {
        l.accept(t);
      } catch (RuntimeException e) {
        LOG.warn("after the submission of task {}: {}", t.taskId(), e.toString(), e);
      }
    }
  }

  @Override
  public void onSubmitted(Consumer<Task> listener) {
    submitted.add(listener);
  }

  @Override
  public void guardClaims(ClaimGuard guard) {
    claimGuards.add(guard);
  }

  /**
   * The first guard's refusal of {@code task} for {@code nodeId}, or null when none refuses. A
   * guard that throws refuses nothing: the claim goes on as it would without guards, rather than
   * every claim failing while that task heads the queue.
   */
  private @Nullable String claimRefusal(Task task, String nodeId) {
    for (ClaimGuard g : claimGuards) {
      try {
        String refusal = g.refusal(task, nodeId);
        if (refusal != null) {
          return refusal;
        }
      } catch (RuntimeException e) {
        LOG.warn("claim guard failed on task {}, not refusing: {}", task.taskId(), e.toString());
      }
    }
    return null;
  }
}
