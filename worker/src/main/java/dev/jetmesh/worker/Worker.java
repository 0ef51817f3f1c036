package dev.jetmesh.worker;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.collab.CollabExecutor;
import dev.jetmesh.worker.git.Git;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.AgentEndpoints;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.mesh.NatsCollabCommands;
import dev.jetmesh.worker.mesh.NatsTaskCommands;
import dev.jetmesh.worker.mesh.ObjectStoreOutputs;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import dev.jetmesh.worker.run.TaskExecutor;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: the claim loop on its own thread, the alive check, the stall/budget notices and
 * the collaboration recruit broadcasts on NATS dispatcher threads. When idle it joins a
 * collaboration session it is recruited to (from the broadcast, or by polling {@code
 * mesh.collab.recruiting}) before it claims; a claimed task with a {@code collaboration} spec is
 * worked as a session member too. {@link #close} (also what SIGTERM does through {@link
 * WorkerMain}) stops claiming, stops the current run (killing its child) and releases its task with
 * {@code "worker shutting down"}, then closes the connection. Thread-safe.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Pattern ALREADY_ACTIVE =
      Pattern.compile("Node (\\S+) already has an active task: (\\S+)");
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  /** Routes the client's errors to SLF4J instead of its default java.util.logging output. */
  static final ErrorListener NATS_ERRORS =
      new ErrorListener() {
        @Override
        public void errorOccurred(Connection conn, String error) {
          log.warn("NATS error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
          log.debug("NATS exception: {}", exp.toString());
        }
      };

  private final WorkerConfig config;
  private final Connection nc;
  private final boolean ownsConnection;
  private final TaskCommands commands;
  private final TaskExecutor executor;
  private final CollabCommands collab;
  private final CollabExecutor collabExecutor;
  private final ConcurrentLinkedQueue<CollabWire.Recruit> recruits = new ConcurrentLinkedQueue<>();

  /** Sessions this node already tried to join: a repeated broadcast or poll skips them. */
  private final Set<String> triedSessions =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 1000;
            }
          });

  private volatile boolean recruitPending;
  private Instant nextRecruitPoll = Instant.EPOCH;
  private @Nullable AutoCloseable recruitSubscription;
  private final AtomicReference<@Nullable TaskControl> current = new AtomicReference<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile int exitCode;
  private @Nullable AgentEndpoints endpoints;
  private @Nullable Thread loop;

  private Worker(WorkerConfig config, Connection nc, boolean ownsConnection) {
    this.config = config;
    this.nc = nc;
    this.ownsConnection = ownsConnection;
    this.commands = new NatsTaskCommands(nc);
    this.collab = new NatsCollabCommands(nc);
    Path scratch;
    try {
      scratch =
          Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "jetmesh-worker"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Git git =
        new Git(config.env(), Duration.ofMinutes(5))
            .withIdentityIfMissing(config.workspace(), config.nodeId());
    RunSettings settings =
        new RunSettings(
            config.nodeId(),
            config.maxAttempts(),
            config.heartbeatInterval(),
            config.backoff(),
            config.metricTimeout(),
            config.envProvider(),
            config.flagProvider(),
            config.flagModel(),
            config.env(),
            scratch,
            Clock.systemUTC());
    // One Worktrees for both executors: its lock serialises git operations on the workspace.
    Worktrees worktrees = new Worktrees(git, config.workspace(), config.worktreeBase());
    this.executor =
        new TaskExecutor(
            settings, config.providers(), commands, new ObjectStoreOutputs(nc), worktrees);
    this.collabExecutor =
        new CollabExecutor(
            settings,
            config.providers(),
            commands,
            collab,
            worktrees,
            config.collabCheckInterval());
  }

  /** Connects to {@code config.natsUrl()} and starts the worker; it owns the connection. */
  public static Worker start(WorkerConfig config) throws IOException, InterruptedException {
    AtomicReference<Worker> self = new AtomicReference<>();
    Options options =
        Options.builder()
            .server(config.natsUrl())
            .connectionName("jetmesh-worker-" + config.nodeId())
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(2))
            .errorListener(NATS_ERRORS)
            .connectionListener(
                (conn, event) -> {
                  if (event == ConnectionListener.Events.CLOSED && self.get() != null) {
                    self.get().connectionClosed();
                  } else if (event == ConnectionListener.Events.DISCONNECTED) {
                    log.warn("NATS disconnected; reconnecting");
                  } else if (event == ConnectionListener.Events.RECONNECTED) {
                    log.info("NATS reconnected");
                  }
                })
            .build();
    Connection nc = Nats.connect(options);
    Worker w = new Worker(config, nc, true);
    self.set(w);
    w.begin();
    return w;
  }

  /** Starts a worker on a connection the caller owns (and closes). */
  public static Worker start(WorkerConfig config, Connection nc) {
    Worker w = new Worker(config, requireNonNull(nc, "null connection"), false);
    w.begin();
    return w;
  }

  private void begin() {
    endpoints = AgentEndpoints.open(nc, config.nodeId(), this::currentTaskId, this::onNotice);
    if (!config.once()) {
      recruitSubscription = collab.subscribeRecruits(this::onRecruit);
    }
    loop = Thread.ofPlatform().name("jetmesh-worker-" + config.nodeId()).start(this::claimLoop);
    log.info(
        "worker {} started: workspace {}, worktrees {}, NATS {}",
        config.nodeId(),
        config.workspace(),
        config.worktreeBase(),
        config.natsUrl());
  }

  /** This worker's node id. */
  public String nodeId() {
    return config.nodeId();
  }

  /** The task being worked on, if any; what the alive check answers. */
  public Optional<String> currentTaskId() {
    TaskControl c = current.get();
    return c == null ? Optional.empty() : Optional.of(c.taskId());
  }

  /** 0 after a normal end (--once, close), 1 when the connection was lost or claiming failed. */
  public int exitCode() {
    return exitCode;
  }

  /** Blocks until the claim loop has ended. */
  public void awaitTermination() throws InterruptedException {
    Objects.requireNonNull(loop, "not started").join();
  }

  /** Blocks at most {@code timeout}; true if the claim loop has ended. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return Objects.requireNonNull(loop, "not started").join(timeout);
  }

  private void claimLoop() {
    try {
      while (!closing.get()) {
        if (!config.once() && joinRecruitingSession()) {
          continue;
        }
        Optional<Task> claimed;
        try {
          claimed = commands.claim(config.nodeId());
        } catch (RejectedException e) {
          if (!recoverOwnedTask(e.getMessage())) {
            log.warn("claim refused: {}", e.getMessage());
            if (!pause()) {
              break;
            }
          }
          continue;
        } catch (UnavailableException e) {
          log.warn("claim failed: {}", e.getMessage());
          if (config.once()) {
            exitCode = 1;
            break;
          }
          if (!pause()) {
            break;
          }
          continue;
        }
        if (claimed.isPresent()) {
          work(claimed.get());
        } else if (!config.once()) {
          pause();
        }
        if (config.once()) {
          break;
        }
      }
    } catch (RuntimeException e) {
      log.error("claim loop died", e);
      exitCode = 1;
    }
    log.info("worker {} stopped claiming", config.nodeId());
  }

  private void work(Task task) {
    TaskControl control = new TaskControl(task.taskId(), task.claimToken());
    current.set(control);
    try {
      log.info("claimed {} (token {})", task.taskId(), task.claimToken());
      if (closing.get()) {
        control.stop(StopReason.SHUTDOWN);
        release(task.taskId(), task.claimToken(), "worker shutting down");
        return;
      }
      if (task.collaboration() != null) {
        if (task.collabSessionId() != null) {
          triedSessions.add(task.collabSessionId());
        }
        CollabExecutor.Outcome o = collabExecutor.executeClaimed(task, control);
        log.info("collaboration task {} ended for this node: {}", task.taskId(), o);
      } else {
        executor.execute(task, control);
      }
    } catch (RuntimeException e) {
      if (task.collaboration() == null) {
        throw e;
      }
      // A collaboration task is settled by its session: an error here must not fail it.
      log.error("collaboration task {} failed inside the worker", task.taskId(), e);
    } finally {
      // Cleared whatever happened, so that the alive check never reports a task we dropped.
      current.set(null);
    }
  }

  /** Called on a dispatcher thread: queues the broadcast and wakes an idle claim loop. */
  private void onRecruit(CollabWire.Recruit recruit) {
    if (recruit.sessionId() == null || recruit.taskId() == null) {
      return;
    }
    recruits.offer(recruit);
    recruitPending = true;
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * When idle: the recruit broadcasts that arrived, then (at most once per poll interval, and not
   * more often than every second) {@code mesh.collab.recruiting}; joins the first session whose
   * task this node may work on. Returns true when it took part in one.
   */
  private boolean joinRecruitingSession() {
    recruitPending = false;
    List<CollabWire.Recruit> candidates = new ArrayList<>();
    for (CollabWire.Recruit r; (r = recruits.poll()) != null; ) {
      candidates.add(r);
    }
    Instant now = Instant.now();
    if (!now.isBefore(nextRecruitPoll)) {
      Duration every =
          config.pollInterval().compareTo(Duration.ofSeconds(1)) < 0
              ? Duration.ofSeconds(1)
              : config.pollInterval();
      nextRecruitPoll = now.plus(every);
      try {
        candidates.addAll(collab.recruiting());
      } catch (RuntimeException e) {
        log.debug("collab.recruiting failed: {}", e.getMessage());
      }
    }
    for (CollabWire.Recruit r : candidates) {
      if (closing.get()) {
        return false;
      }
      Optional<Task> task = recruitable(r);
      if (task.isPresent()) {
        triedSessions.add(r.sessionId());
        workRecruited(task.get(), r.sessionId());
        return true;
      }
    }
    return false;
  }

  /** The task of a recruit this node may join, after the reference's filters. */
  private Optional<Task> recruitable(CollabWire.Recruit r) {
    String node = config.nodeId();
    if (triedSessions.contains(r.sessionId()) || r.nodeIds().contains(node) || r.full()) {
      return Optional.empty();
    }
    Optional<Task> t;
    try {
      t = commands.get(r.taskId());
    } catch (RuntimeException e) {
      log.debug("recruit {}: cannot get task {}: {}", r.sessionId(), r.taskId(), e.getMessage());
      return Optional.empty();
    }
    if (t.isEmpty()) {
      return Optional.empty();
    }
    Task task = t.get();
    boolean excluded =
        task.collaboration() == null
            || node.equals(task.owner())
            || (task.excludeNodes() != null && task.excludeNodes().contains(node))
            || (task.preferredNodes() != null
                && !task.preferredNodes().isEmpty()
                && !task.preferredNodes().contains(node))
            || (task.status() != null && task.status().isTerminal());
    if (excluded) {
      log.debug("recruit {} skipped: task {} is not for this node", r.sessionId(), r.taskId());
      triedSessions.add(r.sessionId());
      return Optional.empty();
    }
    return t;
  }

  private void workRecruited(Task task, String sessionId) {
    TaskControl control = new TaskControl(task.taskId(), null);
    current.set(control);
    try {
      log.info("recruited to session {} of task {}", sessionId, task.taskId());
      CollabExecutor.Outcome o = collabExecutor.executeRecruited(task, sessionId, control);
      log.info("session {} ended for this node: {}", sessionId, o);
    } catch (RuntimeException e) {
      log.error("session {} failed inside the worker", sessionId, e);
    } finally {
      current.set(null);
    }
  }

  /**
   * After a crash and restart the orchestrator still thinks this node holds a task. Nothing of that
   * run survives, so release it rather than block this node until the stall timer fires.
   */
  private boolean recoverOwnedTask(String error) {
    Matcher m = ALREADY_ACTIVE.matcher(error);
    if (!m.find() || !m.group(1).equals(config.nodeId())) {
      return false;
    }
    String taskId = m.group(2);
    if (currentTaskId().isPresent()) {
      return false;
    }
    try {
      Optional<Task> t = commands.get(taskId);
      // A collaboration task is settled by its session (which marks a vanished member dead), not
      // by its owner: releasing it here would abort the session for everyone.
      if (t.isPresent()
          && config.nodeId().equals(t.get().owner())
          && t.get().status() != null
          && t.get().status().isActive()
          && t.get().collaboration() == null) {
        log.warn("releasing {}: this node owned it before a restart", taskId);
        release(taskId, t.get().claimToken(), "worker restarted; the previous run was lost");
        return true;
      }
    } catch (RuntimeException e) {
      log.warn("could not recover task {}: {}", taskId, e.getMessage());
    }
    return false;
  }

  private void release(String taskId, @Nullable Long token, String reason) {
    try {
      commands.release(new TaskRequests.Fail(taskId, reason, null, config.nodeId(), token));
    } catch (RuntimeException e) {
      log.warn("release of {} failed: {}", taskId, e.getMessage());
    }
  }

  /** Called on the dispatcher thread. */
  private void onNotice(AgentEndpoints.Notice notice, String taskId, Object body) {
    TaskControl c = current.get();
    if (c == null || !c.taskId().equals(taskId)) {
      return;
    }
    c.stop(notice == AgentEndpoints.Notice.STALL ? StopReason.STALL : StopReason.BUDGET_EXCEEDED);
  }

  /** Sleeps one poll interval unless closing; false when closing. */
  private boolean pause() {
    long left = config.pollInterval().toNanos();
    lock.lock();
    try {
      while (!closing.get() && !recruitPending && left > 0) {
        left = wake.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing.set(true);
    } finally {
      lock.unlock();
    }
    return !closing.get();
  }

  private void connectionClosed() {
    if (!closing.get()) {
      log.error("NATS connection closed; worker {} stops", config.nodeId());
      exitCode = 1;
    }
    beginClosing();
  }

  private void beginClosing() {
    closing.set(true);
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    TaskControl c = current.get();
    if (c != null) {
      c.stop(StopReason.SHUTDOWN);
    }
  }

  /**
   * Stops the worker: no new claims; the current run is stopped and its task released; waits up to
   * 30 s for that, then closes the subscriptions and (if owned) the connection. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("worker {} shutting down", config.nodeId());
    beginClosing();
    try {
      if (loop != null && !loop.join(SHUTDOWN_GRACE)) {
        log.warn("worker {} did not stop within {}", config.nodeId(), SHUTDOWN_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (recruitSubscription != null) {
      try {
        recruitSubscription.close();
      } catch (Exception e) {
        log.debug("closing the recruit subscription: {}", e.toString());
      }
    }
    if (endpoints != null) {
      try {
        endpoints.close();
      } catch (RuntimeException e) {
        log.debug("closing endpoints: {}", e.toString());
      }
    }
    if (ownsConnection) {
      try {
        nc.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
