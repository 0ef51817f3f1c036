package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.run.ProviderChoice;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A joined member's life in its session: in a worktree of its own ({@code <base>/<task_id>-<node>})
 * it waits for round notifications, works each round that is its to work ({@link RoundRunner}), and
 * ends when the session converges, completes or aborts ({@link SessionMerge}). A notification is
 * delivered at most once, so every {@code checkInterval} without one it asks for the session's
 * status and for its current assignment: a missed notification delays a round, it never hangs it;
 * the same check casts a coordinator vote the round still lacks ({@link CoordinatorVotes}).
 * Thread-safe: no per-session state lives in fields.
 */
final class RoundLoop {
  private static final Logger log = LoggerFactory.getLogger(RoundLoop.class);
  private static final Duration SLICE = Duration.ofMillis(250);

  private final RunSettings settings;
  private final Worktrees worktrees;
  private final Duration checkInterval;

  RoundLoop(RunSettings settings, Worktrees worktrees, Duration checkInterval) {
    this.settings = requireNonNull(settings, "null settings");
    this.worktrees = requireNonNull(worktrees, "null worktrees");
    this.checkInterval = requireNonNull(checkInterval, "null checkInterval");
  }

  CollabExecutor.Outcome run(
      Task task,
      SessionRequests session,
      TaskControl control,
      BlockingQueue<CollabWire.Round> inbox,
      ProviderChoice choice) {
    Worktree wt;
    try {
      wt = worktrees.create(task.taskId() + "-" + settings.nodeId());
    } catch (RuntimeException e) {
      log.error("cannot create a worktree for session {}; leaving it", session.sessionId(), e);
      session.leave("Could not create worktree: " + e.getMessage());
      return CollabExecutor.Outcome.STOPPED;
    }
    CollabExecutor.Outcome outcome = CollabExecutor.Outcome.DISCARDED;
    try {
      CoordinatorVotes votes = new CoordinatorVotes(session, settings.nodeId());
      RoundRunner runner =
          new RoundRunner(settings, worktrees, task, choice, wt, control, session, votes);
      outcome = rounds(task, session, control, inbox, runner, votes, wt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.leave("Worker interrupted");
      outcome = CollabExecutor.Outcome.STOPPED;
    } finally {
      try {
        worktrees.remove(wt, outcome == CollabExecutor.Outcome.MERGED);
      } catch (RuntimeException e) {
        log.warn("could not remove worktree {}: {}", wt.path(), e.getMessage());
      }
    }
    return outcome;
  }

  private CollabExecutor.Outcome rounds(
      Task task,
      SessionRequests session,
      TaskControl control,
      BlockingQueue<CollabWire.Round> inbox,
      RoundRunner runner,
      CoordinatorVotes votes,
      Worktree wt)
      throws InterruptedException {
    SessionMerge merge = new SessionMerge(worktrees, settings.nodeId());
    Set<Integer> done = new HashSet<>();
    Set<String> artifacts = new LinkedHashSet<>();
    boolean writer = true;
    Instant nextCheck = settings.clock().instant().plus(checkInterval);
    while (true) {
      if (control.stopRequested()) {
        session.leave("Worker stopped: " + control.stopReason().orElse(StopReason.SHUTDOWN));
        return CollabExecutor.Outcome.STOPPED;
      }
      CollabWire.Round round = inbox.poll(SLICE.toMillis(), TimeUnit.MILLISECONDS);
      if (round == null && !settings.clock().instant().isBefore(nextCheck)) {
        nextCheck = settings.clock().instant().plus(checkInterval);
        Optional<CollabWire.Status> st = session.status();
        if (st.isEmpty() || st.get().ended()) {
          return merge.finish(wt, task.taskId(), session.sessionId(), st, writer);
        }
        round = session.assignment().orElse(null);
        if (round != null) {
          votes.check(round);
        }
      }
      if (round == null
          || done.contains(round.roundNumber())
          || Boolean.TRUE.equals(round.reflected())
          || !ourTurn(round)) {
        continue;
      }
      writer = RoundPrompt.access(round.myScope()) == RoundPrompt.Access.WRITE;
      Optional<CollabWire.Status> st = runner.run(round, artifacts);
      if (control.stopRequested()) {
        continue;
      }
      done.add(round.roundNumber());
      nextCheck = settings.clock().instant().plus(checkInterval);
      if (st.isEmpty() || st.get().ended()) {
        return merge.finish(wt, task.taskId(), session.sessionId(), st, writer);
      }
    }
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
}
