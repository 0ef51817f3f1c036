package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.model.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget and stall timers. Each run selects candidates from indexed columns of the read model
 * (never a scan of all tasks) and takes its decision through the command handler, so it decides
 * against the aggregate's own history and appends with its expected sequence. Decision events get
 * deterministic ids (task and claim token), so two orchestrators, or a run repeated after a crash,
 * cannot decide twice. Runs never overlap: each timer has one thread and reschedules after it ends.
 */
public final class TaskTimers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskTimers.class);
  private static final int BATCH = 500;

  private final TaskQueries queries;
  private final TaskCommandHandler handler;
  private final MeshBus bus;
  private final Clock clock;
  private final Duration stallThreshold;
  private final Duration aliveTimeout;
  private final ScheduledExecutorService exec =
      Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("timer-", 0).daemon().factory());

  public TaskTimers(
      TaskQueries queries,
      TaskCommandHandler handler,
      MeshBus bus,
      Clock clock,
      Duration stallThreshold,
      Duration aliveTimeout) {
    this.queries = queries;
    this.handler = handler;
    this.bus = bus;
    this.clock = clock;
    this.stallThreshold = stallThreshold;
    this.aliveTimeout = aliveTimeout;
  }

  public void start(Duration budgetInterval, Duration stallInterval) {
    // guarded() catches a failed run, which would otherwise cancel its schedule silently.
    var unusedBudget =
        exec.scheduleWithFixedDelay(
            guarded("budget", this::checkBudgets),
            budgetInterval.toMillis(),
            budgetInterval.toMillis(),
            TimeUnit.MILLISECONDS);
    var unusedStall =
        exec.scheduleWithFixedDelay(
            guarded("stall", this::checkStalls),
            stallInterval.toMillis(),
            stallInterval.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Fails every held task past its budget deadline. Returns how many it failed. */
  public int checkBudgets() {
    int n = 0;
    for (String id : queries.overBudget(clock.instant(), BATCH)) {
      Task t = handler.current(id);
      if (t == null || !t.status().isActive()) {
        continue;
      }
      try {
        handler.handle(
            new TaskCommand.ExceedBudget(id),
            "orchestrator",
            "budget-timer",
            "budget:" + id + ":" + t.claimToken());
        n++;
      } catch (CommandRejectedException e) {
        LOG.debug("budget check skipped {}: {}", id, e.getMessage());
      }
    }
    return n;
  }

  /**
   * Releases held tasks that are silent past the threshold and whose owner does not answer the
   * alive check. A truthy answer counts as activity. Returns how many it released.
   */
  public int checkStalls() {
    Instant now = clock.instant();
    int n = 0;
    for (TaskQueries.HeldTask h : queries.silentSince(now.minus(stallThreshold), BATCH)) {
      if (h.owner() != null
          && bus.notAlive(List.of(h.owner()), h.taskId(), aliveTimeout).isEmpty()) {
        queries.touch(h.taskId(), h.owner(), now, null);
        continue;
      }
      Task t = handler.current(h.taskId());
      if (t == null || !t.status().isActive()) {
        continue;
      }
      Instant last = h.lastActivity() != null ? h.lastActivity() : h.since();
      long silent = Duration.between(last, now).toMinutes();
      try {
        handler.handle(
            new TaskCommand.ReleaseStalled(h.taskId(), silent, stallThreshold.toMinutes()),
            "orchestrator",
            "stall-timer",
            "stall:" + h.taskId() + ":" + t.claimToken());
        n++;
      } catch (CommandRejectedException e) {
        LOG.debug("stall check skipped {}: {}", h.taskId(), e.getMessage());
      }
    }
    return n;
  }

  private static Runnable guarded(String name, Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("{} timer run failed: {}", name, e.toString());
      }
    };
  }

  @Override
  public void close() {
    exec.shutdownNow();
  }
}
