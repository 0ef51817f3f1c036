package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.run.AttemptRunner;
import dev.jetmesh.worker.run.MetricCheck;
import dev.jetmesh.worker.run.ProviderChoice;
import dev.jetmesh.worker.run.ProviderRun;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.Scratch;
import dev.jetmesh.worker.run.TaskControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one round for this node: the round prompt, the provider and then the task's metric in the
 * node's worktree (through the {@link AttemptRunner}, as a task attempt runs), the reflection
 * parsed from the answer and reported with the worktree's changed paths (then, when this node is
 * the round's coordinator, its {@link CoordinatorVotes vote}), and the session's status afterwards.
 * Unlike a task attempt, a round's metric runs even when the provider failed: it tells the session
 * about the worktree, not about this run. Not thread-safe: one per session.
 */
final class RoundRunner {
  private static final Logger log = LoggerFactory.getLogger(RoundRunner.class);

  private final RunSettings settings;
  private final Worktrees worktrees;
  private final Task task;
  private final ProviderChoice choice;
  private final Worktree wt;
  private final TaskControl control;
  private final SessionRequests session;
  private final CoordinatorVotes votes;

  RoundRunner(
      RunSettings settings,
      Worktrees worktrees,
      Task task,
      ProviderChoice choice,
      Worktree wt,
      TaskControl control,
      SessionRequests session,
      CoordinatorVotes votes) {
    this.settings = requireNonNull(settings, "null settings");
    this.worktrees = requireNonNull(worktrees, "null worktrees");
    this.task = requireNonNull(task, "null task");
    this.choice = requireNonNull(choice, "null choice");
    this.wt = requireNonNull(wt, "null wt");
    this.control = requireNonNull(control, "null control");
    this.session = requireNonNull(session, "null session");
    this.votes = requireNonNull(votes, "null votes");
  }

  /**
   * Works {@code round}; {@code artifacts} collects the worktree's changed paths over the rounds.
   * Returns the session's status after it, empty when the run was stopped or the session is gone.
   */
  Optional<CollabWire.Status> run(CollabWire.Round round, Set<String> artifacts) {
    log.info(
        "session {}: round {} as {}", session.sessionId(), round.roundNumber(), round.myRole());
    String prompt = RoundPrompt.build(task, round, settings.nodeId());
    Reflection reflection;
    MetricCheck metric;
    ProviderRun llm;
    try (Scratch scratch = Scratch.create(settings.scratch(), "collab-" + task.taskId() + "-")) {
      AttemptRunner runner =
          new AttemptRunner(settings, choice, task, wt.path(), scratch.dir(), control);
      String tag = "r" + round.roundNumber();
      llm = runner.runProvider(tag, prompt, runLimit());
      logFailure(llm.process(), llm.stderr());
      if (llm.stopped()) {
        return Optional.empty();
      }
      reflection = ReflectionParser.parse(llm.output().text());
      metric = runner.hasMetric() ? runner.checkMetric(tag, settings.metricTimeout()) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      artifacts.addAll(worktrees.statusPaths(wt));
    } catch (RuntimeException e) {
      log.warn("could not list the changes of {}: {}", wt.path(), e.getMessage());
    }
    control.activity("collab");
    if (session.reflect(
        round.roundNumber(),
        reflection,
        new ArrayList<>(artifacts),
        metric == null ? null : metric.verdict(),
        metric == null ? null : metric.score(),
        llm.output().costUsd())) {
      votes.reflected(round, reflection);
    }
    return session.status();
  }

  private void logFailure(ProcessResult res, String stderr) {
    if (!res.succeeded()) {
      log.warn(
          "{} ended badly in round work of {} (exit {}, timed out {}): {}",
          choice.provider().name(),
          task.taskId(),
          res.exitCode(),
          res.timedOut(),
          Outputs.tail(stderr.strip(), 300));
    }
  }

  /** What is left of the task's budget, or the whole budget when its deadline is (nearly) past. */
  private Duration runLimit() {
    if (task.budgetDeadline() != null) {
      Duration left = Duration.between(settings.clock().instant(), task.budgetDeadline());
      if (left.compareTo(Duration.ofSeconds(1)) > 0) {
        return left;
      }
    }
    return Duration.ofMinutes(task.budgetMinutes() > 0 ? task.budgetMinutes() : 30);
  }
}
