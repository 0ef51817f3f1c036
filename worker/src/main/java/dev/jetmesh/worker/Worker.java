package dev.jetmesh.worker;

import dev.jetmesh.schema.wire.NodeRequests;
import dev.jetmesh.worker.claim.ClaimLoop;
import dev.jetmesh.worker.claim.CurrentTask;
import dev.jetmesh.worker.collab.CollabExecutor;
import dev.jetmesh.worker.git.Git;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.AgentEndpoints;
import dev.jetmesh.worker.mesh.MeshLink;
import dev.jetmesh.worker.node.HealthBeat;
import dev.jetmesh.worker.node.HealthPublisher;
import dev.jetmesh.worker.node.Machine;
import dev.jetmesh.worker.process.ProcessRunner;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.task.TaskExecutor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: puts the parts together from the configuration and runs them. The {@link
 * ClaimLoop} joins the mesh, then claims and works tasks on its own thread; the {@link
 * HealthPublisher} beats on another; the alive check, the stall and budget notices and the recruit
 * broadcasts arrive on NATS dispatcher threads. {@link #close} (also what SIGTERM does through
 * {@link WorkerMain}) stops claiming, stops the current run (killing its child) and releases its
 * task with {@code "worker shutting down"}, then closes the connection. Thread-safe.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  private final WorkerConfig config;
  private final MeshLink mesh;
  private final CurrentTask current = new CurrentTask();
  private final ClaimLoop loop;
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable AgentEndpoints endpoints;
  private @Nullable HealthPublisher health;

  private Worker(WorkerConfig config, MeshLink mesh) {
    this.config = config;
    this.mesh = mesh;
    RunSettings settings = runSettings(config);
    Git git =
        new Git(config.env(), Duration.ofMinutes(5))
            .withIdentityIfMissing(config.workspace(), config.nodeId());
    // One Worktrees for both executors: its lock serialises git operations on the workspace.
    Worktrees worktrees = new Worktrees(git, config.workspace(), config.worktreeBase());
    TaskExecutor tasks =
        new TaskExecutor(settings, config.providers(), mesh.tasks(), mesh.outputs(), worktrees);
    CollabExecutor collab =
        new CollabExecutor(
            settings,
            config.providers(),
            mesh.tasks(),
            mesh.collab(),
            worktrees,
            config.collabCheckInterval());
    ClaimLoop.Settings loopSettings =
        new ClaimLoop.Settings(
            config.nodeId(), config.once(), config.pollInterval(), Clock.systemUTC(), join(config));
    this.loop =
        new ClaimLoop(
            loopSettings, mesh.tasks(), mesh.nodes(), mesh.collab(), tasks, collab, current);
  }

  /** What this node says when it joins: it offers the providers whose programs it has. */
  private static NodeRequests.Join join(WorkerConfig config) {
    return new NodeRequests.Join(
        config.nodeId(),
        config.joinToken(),
        config.offeredProviders(),
        config.capabilities(),
        Machine.host(NodeIds.hostname()));
  }

  private HealthBeat beat(HealthBeat.Facts facts) {
    return HealthBeat.of(
        facts, Machine.measure(config.workspace()), current.taskId(), Clock.systemUTC().instant());
  }

  private HealthBeat.Facts facts() {
    return new HealthBeat.Facts(
        config.nodeId(),
        Machine.platform(),
        config.workspace().toString(),
        config.offeredProviders(),
        config.capabilities());
  }

  private static RunSettings runSettings(WorkerConfig config) {
    return new RunSettings(
        config.nodeId(),
        config.maxAttempts(),
        config.heartbeatInterval(),
        config.backoff(),
        config.metricTimeout(),
        config.envProvider(),
        config.flagProvider(),
        config.flagModel(),
        config.env(),
        config.scratch(),
        Clock.systemUTC());
  }

  /** Connects to {@code config.natsUrl()} and starts the worker; it owns the connection. */
  public static Worker start(WorkerConfig config) throws IOException, InterruptedException {
    AtomicReference<Worker> self = new AtomicReference<>();
    MeshLink mesh =
        MeshLink.connect(
            config.natsUrl(),
            config.nodeId(),
            config.env().get(dev.jetmesh.schema.NatsInbox.SETTING),
            () -> {
              Worker w = self.get();
              if (w != null) {
                w.connectionClosed();
              }
            });
    Worker w = new Worker(config, mesh);
    self.set(w);
    w.begin();
    return w;
  }

  private void begin() {
    endpoints = mesh.serveAgent(config.nodeId(), current::taskId, this::onNotice);
    HealthBeat.Facts facts = facts();
    health =
        HealthPublisher.start(
            mesh.nodes(), config.nodeId(), config.healthInterval(), () -> beat(facts));
    loop.start();
    log.info(
        "worker {} started: workspace {}, worktrees {}, NATS {}, children die with it: {}",
        config.nodeId(),
        config.workspace(),
        config.worktreeBase(),
        dev.jetmesh.schema.NatsInbox.redact(config.natsUrl()),
        ProcessRunner.childrenDieWithWorker() ? "yes" : "no");
  }

  /** This worker's node id. */
  public String nodeId() {
    return config.nodeId();
  }

  /** The task being worked on, if any; what the alive check answers. */
  public Optional<String> currentTaskId() {
    return current.taskId();
  }

  /**
   * 0 after a normal end (--once, close), 1 when the connection was lost or claiming failed, {@link
   * ClaimLoop#EXIT_REFUSED} when the mesh refused the node ({@link #refusal} says why).
   */
  public int exitCode() {
    return loop.exitCode();
  }

  /** Why the mesh refused this node, if it did: one line for the operator. */
  public Optional<String> refusal() {
    return loop.refusal();
  }

  /** Blocks until the claim loop has ended. */
  public void awaitTermination() throws InterruptedException {
    loop.await();
  }

  /** Blocks at most {@code timeout}; true if the claim loop has ended. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return loop.await(timeout);
  }

  /** Called on the dispatcher thread. */
  private void onNotice(AgentEndpoints.Notice notice, String taskId, Object body) {
    current.stop(
        taskId,
        notice == AgentEndpoints.Notice.STALL ? StopReason.STALL : StopReason.BUDGET_EXCEEDED);
  }

  /** Called on a NATS thread when the connection is closed for good. */
  private void connectionClosed() {
    if (!loop.stopping()) {
      log.error("NATS connection closed; worker {} stops", config.nodeId());
      loop.failed();
    }
    loop.stop();
  }

  /**
   * Stops the worker: no new claims; the current run is stopped and its task released; waits up to
   * 30 s for that, then closes the subscriptions and the connection. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("worker {} shutting down", config.nodeId());
    loop.stop();
    try {
      if (!loop.await(SHUTDOWN_GRACE)) {
        log.warn("worker {} did not stop within {}", config.nodeId(), SHUTDOWN_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loop.close();
    if (health != null) {
      health.close();
    }
    if (endpoints != null) {
      try {
        endpoints.close();
      } catch (RuntimeException e) {
        log.debug("closing endpoints: {}", e.toString());
      }
    }
    mesh.close();
  }
}
