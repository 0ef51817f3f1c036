package dev.jetmesh.worker.claim;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.collab.CollabExecutor;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.run.TaskControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joining a collaboration session while idle. Recruit broadcasts ({@code mesh.collab.*.recruit})
 * are queued as they arrive and wake the claim loop; before each claim it looks at them and (at
 * most once per poll interval, and not more often than every second) at {@code
 * mesh.collab.recruiting}, and joins the first session whose task this node may work on. Each
 * session is tried once. The broadcast handler runs on a NATS dispatcher thread; everything else on
 * the claim loop's thread.
 */
final class Recruiting implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Recruiting.class);

  private final TaskCommands tasks;
  private final CollabCommands collab;
  private final CollabExecutor executor;
  private final CurrentTask current;
  private final String nodeId;
  private final Duration pollEvery;
  private final Clock clock;
  private final Runnable wake;
  private final BooleanSupplier closing;
  private final ConcurrentLinkedQueue<CollabWire.Recruit> recruits = new ConcurrentLinkedQueue<>();

  /** Sessions this node already tried to join: a repeated broadcast or poll skips them. */
  private final Set<String> tried =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 1000;
            }
          });

  private volatile boolean pending;
  private Instant nextPoll = Instant.EPOCH;
  private @Nullable AutoCloseable subscription;

  Recruiting(
      TaskCommands tasks,
      CollabCommands collab,
      CollabExecutor executor,
      CurrentTask current,
      ClaimLoop.Settings settings,
      Runnable wake,
      BooleanSupplier closing) {
    this.tasks = requireNonNull(tasks, "null tasks");
    this.collab = requireNonNull(collab, "null collab");
    this.executor = requireNonNull(executor, "null executor");
    this.current = requireNonNull(current, "null current");
    this.nodeId = settings.nodeId();
    Duration poll = settings.pollInterval();
    this.pollEvery = poll.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : poll;
    this.clock = settings.clock();
    this.wake = requireNonNull(wake, "null wake");
    this.closing = requireNonNull(closing, "null closing");
  }

  /** Starts listening to recruit broadcasts. */
  void subscribe() {
    subscription = collab.subscribeRecruits(this::onRecruit);
  }

  /** True when a broadcast arrived since the last {@link #joinOne}. */
  boolean pending() {
    return pending;
  }

  /** A session this node took part in through its claimed task: not to be joined again. */
  void tried(String sessionId) {
    tried.add(sessionId);
  }

  /** Called on a dispatcher thread: queues the broadcast and wakes an idle claim loop. */
  private void onRecruit(CollabWire.Recruit recruit) {
    if (recruit.sessionId() == null || recruit.taskId() == null) {
      return;
    }
    recruits.offer(recruit);
    pending = true;
    wake.run();
  }

  /** Joins the first session this node may join, and takes part in it. True when it did. */
  boolean joinOne() {
    pending = false;
    for (CollabWire.Recruit r : candidates()) {
      if (closing.getAsBoolean()) {
        return false;
      }
      Optional<Task> task = recruitable(r);
      if (task.isPresent()) {
        tried.add(r.sessionId());
        work(task.get(), r.sessionId());
        return true;
      }
    }
    return false;
  }

  /** The broadcasts that arrived, then, when its time has come, the recruiting list. */
  private List<CollabWire.Recruit> candidates() {
    List<CollabWire.Recruit> candidates = new ArrayList<>();
    for (CollabWire.Recruit r; (r = recruits.poll()) != null; ) {
      candidates.add(r);
    }
    Instant now = clock.instant();
    if (!now.isBefore(nextPoll)) {
      nextPoll = now.plus(pollEvery);
      try {
        candidates.addAll(collab.recruiting());
      } catch (RuntimeException e) {
        log.debug("collab.recruiting failed: {}", e.getMessage());
      }
    }
    return candidates;
  }

  /** The task of a recruit this node may join, after the reference's filters. */
  private Optional<Task> recruitable(CollabWire.Recruit r) {
    if (tried.contains(r.sessionId()) || r.nodeIds().contains(nodeId) || r.full()) {
      return Optional.empty();
    }
    Optional<Task> t;
    try {
      t = tasks.get(r.taskId());
    } catch (RuntimeException e) {
      log.debug("recruit {}: cannot get task {}: {}", r.sessionId(), r.taskId(), e.getMessage());
      return Optional.empty();
    }
    if (t.isEmpty()) {
      return Optional.empty();
    }
    if (!forThisNode(t.get())) {
      log.debug("recruit {} skipped: task {} is not for this node", r.sessionId(), r.taskId());
      tried.add(r.sessionId());
      return Optional.empty();
    }
    return t;
  }

  private boolean forThisNode(Task task) {
    return task.collaboration() != null
        && !nodeId.equals(task.owner())
        && (task.excludeNodes() == null || !task.excludeNodes().contains(nodeId))
        && (task.preferredNodes() == null
            || task.preferredNodes().isEmpty()
            || task.preferredNodes().contains(nodeId))
        && (task.status() == null || !task.status().isTerminal());
  }

  private void work(Task task, String sessionId) {
    TaskControl control = new TaskControl(task.taskId(), null);
    current.during(
        control,
        () -> {
          try {
            log.info("recruited to session {} of task {}", sessionId, task.taskId());
            CollabExecutor.Outcome o = executor.executeRecruited(task, sessionId, control);
            log.info("session {} ended for this node: {}", sessionId, o);
          } catch (RuntimeException e) {
            log.error("session {} failed inside the worker", sessionId, e);
          }
        });
  }

  /** Stops listening to recruit broadcasts. */
  @Override
  public void close() {
    if (subscription == null) {
      return;
    }
    try {
      subscription.close();
    } catch (Exception e) {
      log.debug("closing the recruit subscription: {}", e.toString());
    }
  }
}
