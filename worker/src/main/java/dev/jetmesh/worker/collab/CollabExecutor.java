package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.CollabRequests;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.run.Heartbeater;
import dev.jetmesh.worker.run.ProviderChoice;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.TaskControl;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes part in one collaboration session (REFERENCE.md section 6, "Collab execution", with the
 * section 8 fixes): subscribes to this node's round subject before joining; a failed join abandons
 * the session and never fails the task; then the {@link RoundLoop} works the rounds until the
 * session ends, and merges only when it converged or completed.
 *
 * <p>The task's owner (the node that claimed it) also starts the task and heartbeats it for the
 * whole session; the orchestrator completes or fails the task from the session, so the worker never
 * does. Thread-safe: no per-session state lives in fields.
 */
public final class CollabExecutor {
  private static final Logger log = LoggerFactory.getLogger(CollabExecutor.class);

  private final RunSettings settings;
  private final ProviderRegistry providers;
  private final TaskCommands tasks;
  private final CollabCommands collab;
  private final Duration checkInterval;
  private final RoundLoop rounds;

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
    this.checkInterval = requireNonNull(checkInterval, "null checkInterval");
    this.rounds =
        new RoundLoop(settings, requireNonNull(worktrees, "null worktrees"), checkInterval);
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
      release(task, control, "No collaboration session found for task " + task.taskId());
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

  private void release(Task task, TaskControl control, String reason) {
    try {
      tasks.release(
          new TaskRequests.Fail(
              task.taskId(), reason, null, settings.nodeId(), control.claimToken()));
    } catch (RuntimeException e) {
      log.warn("release of {} failed: {}", task.taskId(), e.getMessage());
    }
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

  /** Subscribes to this node's rounds, joins, and works the rounds until the session ends. */
  private Outcome participate(Task task, String sessionId, TaskControl control) {
    ProviderChoice choice;
    try {
      choice = ProviderChoice.of(task, providers, settings);
    } catch (ProviderException e) {
      log.error("session {}: {}; not joining", sessionId, e.getMessage());
      return Outcome.NOT_JOINED;
    }
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
      SessionRequests session = new SessionRequests(collab, sessionId, node);
      return rounds.run(task, session, control, inbox, choice);
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("closing the round subscription failed", e);
    }
  }

  /** The owner whose join failed: waits (heartbeating) until the session ends or the run stops. */
  private void awaitEnd(String sessionId, TaskControl control) {
    SessionRequests session = new SessionRequests(collab, sessionId, settings.nodeId());
    while (!control.sleep(checkInterval)) {
      Optional<CollabWire.Status> st = session.status();
      if (st.isEmpty() || st.get().ended()) {
        return;
      }
    }
  }
}
