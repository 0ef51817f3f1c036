package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.CollabRequests;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.git.MergeResult;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import dev.jetmesh.worker.process.ChildEnvironment;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.process.ProcessRunner;
import dev.jetmesh.worker.process.ProcessSpec;
import dev.jetmesh.worker.provider.Invocation;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.provider.RunRequest;
import dev.jetmesh.worker.run.Heartbeater;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes part in one collaboration session (REFERENCE.md section 6, "Collab execution", with the
 * section 8 fixes): subscribes to this node's round subject before joining; a failed join abandons
 * the session and never fails the task; works each round in its own worktree {@code
 * <base>/<task_id>-<node>}, reflects, and reports the worktree's changed paths (cumulative); ends
 * when the session converges, completes or aborts; merges only when it converged or completed.
 *
 * <p>A round notification is delivered at most once, so every {@code checkInterval} without one the
 * executor asks for the session's status and for this node's current assignment ({@code
 * mesh.collab.assignment}): a missed notification delays a round, it never hangs it.
 *
 * <p>The task's owner (the node that claimed it) also starts the task and heartbeats it for the
 * whole session; the orchestrator completes or fails the task from the session, so the worker never
 * does. Thread-safe: no per-session state lives in fields.
 */
public final class CollabExecutor {
  private static final Logger log = LoggerFactory.getLogger(CollabExecutor.class);
  private static final Duration SLICE = Duration.ofMillis(250);

  private final RunSettings settings;
  private final ProviderRegistry providers;
  private final TaskCommands tasks;
  private final CollabCommands collab;
  private final Worktrees worktrees;
  private final Duration checkInterval;

  public CollabExecutor(
      RunSettings settings,
      ProviderRegistry providers,
      TaskCommands tasks,
      CollabCommands collab,
      Worktrees worktrees,
      Duration checkInterval) {
    this.settings = requireNonNull(settings, "null settings");
    this.providers = requireNonNull(providers, "null providers");
    this.tasks = requireNonNull(tasks, "null tasks");
    this.collab = requireNonNull(collab, "null collab");
    this.worktrees = requireNonNull(worktrees, "null worktrees");
    this.checkInterval = requireNonNull(checkInterval, "null checkInterval");
  }

  /** How a session ended for this node. */
  public enum Outcome {
    /** Joined and the session converged or completed; the work was merged (or had none). */
    MERGED,
    /** Joined and the session aborted (or vanished); the work was discarded. */
    DISCARDED,
    /** The join failed: nothing was done. */
    NOT_JOINED,
    /** No session exists for the task. */
    NO_SESSION,
    /** The run was stopped (notice, lost claim, shutdown); this node left the session. */
    STOPPED
  }

  /**
   * A claimed collaboration task: finds its session, starts the task, heartbeats it, joins and
   * works the rounds. When the join fails the owner keeps heartbeating and waits for the session to
   * end (the orchestrator settles the task from it); when there is no session the task is released.
   */
  public Outcome executeClaimed(Task task, TaskControl control) {
    Optional<String> sid = findSession(task, control);
    if (sid.isEmpty()) {
      log.warn("task {}: no collaboration session found; releasing it", task.taskId());
      try {
        tasks.release(
            new TaskRequests.Fail(
                task.taskId(),
                "No collaboration session found for task " + task.taskId(),
                null,
                settings.nodeId(),
                control.claimToken()));
      } catch (RuntimeException e) {
        log.warn("release of {} failed: {}", task.taskId(), e.getMessage());
      }
      return Outcome.NO_SESSION;
    }
    try {
      tasks.start(new TaskRequests.Ref(task.taskId(), settings.nodeId(), control.claimToken()));
    } catch (RejectedException e) {
      log.warn("start of {} refused ({}); abandoning it", task.taskId(), e.getMessage());
      return Outcome.NOT_JOINED;
    } catch (UnavailableException e) {
      log.warn("start of {} got no answer: {}", task.taskId(), e.getMessage());
    }
    try (Heartbeater hb =
        Heartbeater.start(tasks, control, settings.nodeId(), settings.heartbeatInterval(), false)) {
      Outcome o = participate(task, sid.get(), control);
      if (o == Outcome.NOT_JOINED) {
        awaitEnd(sid.get(), control);
      }
      return o;
    }
  }

  /** A session this idle node was recruited to: joins and works the rounds; never owns the task. */
  public Outcome executeRecruited(Task task, String sessionId, TaskControl control) {
    return participate(task, sessionId, control);
  }

  private Optional<String> findSession(Task task, TaskControl control) {
    if (task.collabSessionId() != null && !task.collabSessionId().isBlank()) {
      return Optional.of(task.collabSessionId());
    }
    for (int i = 0; i < 2; i++) {
      try {
        Optional<String> found = collab.find(task.taskId());
        if (found.isPresent()) {
          return found;
        }
      } catch (RuntimeException e) {
        log.warn("collab.find for {} failed: {}", task.taskId(), e.getMessage());
      }
      if (i == 0 && control.sleep(Duration.ofSeconds(3))) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private Outcome participate(Task task, String sessionId, TaskControl control) {
    Provider provider;
    try {
      provider =
          providers.resolve(task.llmProvider(), settings.envProvider(), settings.flagProvider());
    } catch (ProviderException e) {
      log.error("session {}: {}; not joining", sessionId, e.getMessage());
      return Outcome.NOT_JOINED;
    }
    String model = ProviderRegistry.resolveModel(task.llmModel(), settings.flagModel(), provider);
    LinkedBlockingQueue<CollabWire.Round> inbox = new LinkedBlockingQueue<>();
    String node = settings.nodeId();
    try (AutoCloseable sub =
        collab.subscribeRounds(
            sessionId,
            node,
            r -> {
              if (!inbox.offer(r)) {
                log.warn("round inbox full; dropping round {}", r.roundNumber());
              }
            })) {
      try {
        collab.join(new CollabRequests.Join(sessionId, node, null));
      } catch (RuntimeException e) {
        log.warn("join of session {} failed ({}); abandoning it", sessionId, e.getMessage());
        return Outcome.NOT_JOINED;
      }
      log.info("joined collaboration session {} of task {}", sessionId, task.taskId());
      control.activity("collab");
      return rounds(task, sessionId, control, inbox, new RoundRun(provider, model));
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("closing the round subscription failed", e);
    }
  }

  private record RoundRun(Provider provider, @Nullable String model) {}

  private Outcome rounds(
      Task task,
      String sessionId,
      TaskControl control,
      LinkedBlockingQueue<CollabWire.Round> inbox,
      RoundRun run) {
    Worktree wt;
    try {
      wt = worktrees.create(task.taskId() + "-" + settings.nodeId());
    } catch (RuntimeException e) {
      log.error("cannot create a worktree for session {}; leaving it", sessionId, e);
      leave(sessionId, "Could not create worktree: " + e.getMessage());
      return Outcome.STOPPED;
    }
    Set<Integer> done = new HashSet<>();
    Set<String> artifacts = new LinkedHashSet<>();
    boolean merged = false;
    boolean writer = true;
    Outcome outcome = Outcome.DISCARDED;
    try {
      Instant nextCheck = settings.clock().instant().plus(checkInterval);
      while (true) {
        if (control.stopRequested()) {
          leave(sessionId, "Worker stopped: " + control.stopReason().orElse(StopReason.SHUTDOWN));
          outcome = Outcome.STOPPED;
          break;
        }
        CollabWire.Round round = inbox.poll(SLICE.toMillis(), TimeUnit.MILLISECONDS);
        if (round == null && !settings.clock().instant().isBefore(nextCheck)) {
          nextCheck = settings.clock().instant().plus(checkInterval);
          Optional<CollabWire.Status> st = status(sessionId);
          if (st.isEmpty() || st.get().ended()) {
            outcome = finish(wt, task, sessionId, st, writer);
            merged = outcome == Outcome.MERGED;
            break;
          }
          round = assignment(sessionId).orElse(null);
        }
        if (round == null
            || done.contains(round.roundNumber())
            || Boolean.TRUE.equals(round.reflected())
            || !ourTurn(round)) {
          continue;
        }
        writer = RoundPrompt.access(round.myScope()) == RoundPrompt.Access.WRITE;
        Optional<CollabWire.Status> st = work(task, sessionId, control, round, run, wt, artifacts);
        if (control.stopRequested()) {
          continue;
        }
        done.add(round.roundNumber());
        nextCheck = settings.clock().instant().plus(checkInterval);
        if (st.isEmpty() || st.get().ended()) {
          outcome = finish(wt, task, sessionId, st, writer);
          merged = outcome == Outcome.MERGED;
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      leave(sessionId, "Worker interrupted");
      outcome = Outcome.STOPPED;
    } finally {
      try {
        worktrees.remove(wt, merged);
      } catch (RuntimeException e) {
        log.warn("could not remove worktree {}: {}", wt.path(), e.getMessage());
      }
    }
    return outcome;
  }

  /** The sequential mode's turn check: a message naming another node's turn is not for us. */
  static boolean ourTurn(CollabWire.Round round, String nodeId) {
    return !"sequential".equals(round.mode())
        || round.currentTurn() == null
        || round.currentTurn().isEmpty()
        || round.currentTurn().equals(nodeId);
  }

  private boolean ourTurn(CollabWire.Round round) {
    boolean ours = ourTurn(round, settings.nodeId());
    if (!ours) {
      log.info(
          "round {}: it is {}'s turn, not ours; waiting", round.roundNumber(), round.currentTurn());
    }
    return ours;
  }

  /** One round: prompt, LLM, reflection, artifacts, reflect, status. Returns the status. */
  private Optional<CollabWire.Status> work(
      Task task,
      String sessionId,
      TaskControl control,
      CollabWire.Round round,
      RoundRun run,
      Worktree wt,
      Set<String> artifacts) {
    log.info("session {}: round {} as {}", sessionId, round.roundNumber(), round.myRole());
    control.activity("llm");
    String prompt = RoundPrompt.build(task, round, settings.nodeId());
    String output = runLlm(task, control, run, wt, prompt);
    if (control.stopRequested()) {
      return Optional.empty();
    }
    Reflection r = ReflectionParser.parse(output);
    Boolean metricPassed = runMetric(task, control, wt);
    try {
      artifacts.addAll(worktrees.statusPaths(wt));
    } catch (RuntimeException e) {
      log.warn("could not list the changes of {}: {}", wt.path(), e.getMessage());
    }
    control.activity("collab");
    try {
      collab.reflect(
          new CollabRequests.Reflect(
              sessionId,
              settings.nodeId(),
              round.roundNumber(),
              r.summary(),
              r.learnings(),
              new ArrayList<>(artifacts),
              java.math.BigDecimal.valueOf(r.wireConfidence()),
              r.vote(),
              r.parseFailed(),
              metricPassed));
      log.info(
          "session {}: round {} reflected (vote {}, parse_failed {})",
          sessionId,
          round.roundNumber(),
          r.vote(),
          r.parseFailed());
    } catch (RejectedException e) {
      log.warn("session {}: reflection refused: {}", sessionId, e.getMessage());
    } catch (UnavailableException e) {
      log.warn("session {}: reflection got no answer: {}", sessionId, e.getMessage());
    }
    return status(sessionId);
  }

  private String runLlm(Task task, TaskControl control, RoundRun run, Worktree wt, String prompt) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory(settings.scratch(), "collab-" + task.taskId() + "-");
      Invocation inv =
          run.provider()
              .invocation(new RunRequest(prompt, run.model(), wt.path(), task.description()));
      Path out = scratch.resolve("llm.out");
      Path err = scratch.resolve("llm.err");
      ProcessResult res =
          ProcessRunner.run(
              new ProcessSpec(
                  inv.argv(),
                  inv.cwd(),
                  ChildEnvironment.without(settings.baseEnv(), inv.envStrip()),
                  out,
                  err,
                  runLimit(task)),
              control);
      String stdout = Outputs.read(out);
      if (!res.succeeded()) {
        log.warn(
            "{} ended badly in round work of {} (exit {}, timed out {}): {}",
            run.provider().name(),
            task.taskId(),
            res.exitCode(),
            res.timedOut(),
            Outputs.tail(Outputs.read(err).strip(), 300));
      }
      return run.provider().interpret(stdout).text();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(scratch);
    }
  }

  /** The task's metric in the worktree; null when it has none or it could not tell. */
  private @Nullable Boolean runMetric(Task task, TaskControl control, Worktree wt) {
    if (task.metric() == null || task.metric().isBlank()) {
      return null;
    }
    control.activity("metric");
    Path out = null;
    try {
      out = Files.createTempFile(settings.scratch(), "collab-metric-", ".out");
      ProcessResult res =
          ProcessRunner.run(
              new ProcessSpec(
                  List.of("bash", "-c", task.metric()),
                  wt.path(),
                  settings.baseEnv(),
                  out,
                  null,
                  settings.metricTimeout()),
              control);
      return (res.stopped() || res.exitCode() == null) ? null : res.succeeded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(out);
    }
  }

  private Duration runLimit(Task task) {
    if (task.budgetDeadline() != null) {
      Duration left = Duration.between(settings.clock().instant(), task.budgetDeadline());
      if (left.compareTo(Duration.ofSeconds(1)) > 0) {
        return left;
      }
    }
    return Duration.ofMinutes(task.budgetMinutes() > 0 ? task.budgetMinutes() : 30);
  }

  /** Converged or completed: commit and merge (a writer's work only); otherwise discard. */
  private Outcome finish(
      Worktree wt, Task task, String sessionId, Optional<CollabWire.Status> st, boolean writer) {
    if (st.isEmpty() || !st.get().succeeded()) {
      log.info(
          "session {} ended {}; discarding this node's work",
          sessionId,
          st.map(CollabWire.Status::status).orElse("(unknown)"));
      return Outcome.DISCARDED;
    }
    if (!writer) {
      log.info(
          "session {} {}; this node reviewed only: nothing to merge", sessionId, st.get().status());
      return Outcome.MERGED;
    }
    Optional<String> sha =
        worktrees.commit(
            wt,
            "mesh("
                + task.taskId()
                + "): collaboration "
                + sessionId
                + ", work of "
                + settings.nodeId());
    if (sha.isEmpty()) {
      log.info("session {} {}; no changes to merge", sessionId, st.get().status());
      return Outcome.MERGED;
    }
    MergeResult m = worktrees.merge(wt);
    log.info(
        "session {} {}: merge of {} {}",
        sessionId,
        st.get().status(),
        wt.branch(),
        m.merged() ? "done" : "failed (branch kept): " + m.detail());
    return m.merged() ? Outcome.MERGED : Outcome.DISCARDED;
  }

  /** The session's status; empty when the session is gone. Unknown outcomes read as "running". */
  private Optional<CollabWire.Status> status(String sessionId) {
    try {
      return Optional.of(collab.status(sessionId));
    } catch (RejectedException e) {
      log.warn("session {}: status refused ({}); treating it as ended", sessionId, e.getMessage());
      return Optional.empty();
    } catch (UnavailableException e) {
      log.warn("session {}: status got no answer: {}", sessionId, e.getMessage());
      return Optional.of(
          new CollabWire.Status(sessionId, null, null, "unknown", null, null, null, null, null));
    }
  }

  private Optional<CollabWire.Round> assignment(String sessionId) {
    try {
      return collab.assignment(sessionId, settings.nodeId());
    } catch (RuntimeException e) {
      log.debug("session {}: no assignment: {}", sessionId, e.getMessage());
      return Optional.empty();
    }
  }

  /** The owner whose join failed: waits (heartbeating) until the session ends or the run stops. */
  private void awaitEnd(String sessionId, TaskControl control) {
    while (!control.sleep(checkInterval)) {
      Optional<CollabWire.Status> st = status(sessionId);
      if (st.isEmpty() || st.get().ended()) {
        return;
      }
    }
  }

  private void leave(String sessionId, String reason) {
    try {
      collab.leave(new CollabRequests.Leave(sessionId, settings.nodeId(), reason));
    } catch (RuntimeException e) {
      log.warn("leave of session {} failed: {}", sessionId, e.getMessage());
    }
  }

  private static void delete(@Nullable Path p) {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      log.warn("could not delete {}: {}", p, e.getMessage());
    }
  }
}
