package dev.jetmesh.worker.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.prompt.PreviousAttempt;
import dev.jetmesh.worker.prompt.PromptBuilder;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.TaskControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempt loop of one solo task (REFERENCE.md section 6): prompt, attempt, report; on success
 * merge and complete; on a failed attempt revert the worktree, back off and try again with what
 * failed (and the scores so far) in the prompt; out of attempts, release; out of time, fail. Each
 * attempt after the first is asked for first ({@link TaskReporter#resume}): a task whose attempts
 * spent its money budget is refused ({@code BUDGET_EXCEEDED}) and the loop stops. A stop from
 * another thread ends it at the next step. Not thread-safe: one per task, on the task's thread.
 */
final class AttemptLoop {
  private final RunSettings settings;
  private final Worktrees worktrees;
  private final Worktree wt;
  private final Task task;
  private final TaskControl control;
  private final TaskReporter reporter;
  private final TaskAttempt attempt;
  private final TaskCompletion completion;

  AttemptLoop(
      RunSettings settings,
      Worktrees worktrees,
      Worktree wt,
      Task task,
      TaskControl control,
      TaskReporter reporter,
      TaskAttempt attempt) {
    this.settings = requireNonNull(settings, "null settings");
    this.worktrees = requireNonNull(worktrees, "null worktrees");
    this.wt = requireNonNull(wt, "null wt");
    this.task = requireNonNull(task, "null task");
    this.control = requireNonNull(control, "null control");
    this.reporter = requireNonNull(reporter, "null reporter");
    this.attempt = requireNonNull(attempt, "null attempt");
    this.completion =
        new TaskCompletion(worktrees, wt, task, control, reporter, settings.maxAttempts());
  }

  /** Runs the attempts. Returns true when the branch was merged (and can be deleted). */
  boolean run() {
    Instant deadline = deadline();
    int max = settings.maxAttempts();
    List<PreviousAttempt> previous = new ArrayList<>();
    List<AttemptOutcome> done = new ArrayList<>();
    for (int n = 1; n <= max; n++) {
      if (control.stopRequested()) {
        reporter.stopped();
        return false;
      }
      if (!settings.clock().instant().isBefore(deadline)) {
        failForBudget();
        return false;
      }
      if (n > 1 && !reporter.resume()) {
        reporter.stopped();
        return false;
      }
      AttemptOutcome o = attempt.run(n, PromptBuilder.build(task, n, max, previous), deadline);
      if (o.kind() == AttemptOutcome.Kind.STOPPED) {
        reporter.stopped();
        return false;
      }
      reporter.attempt(o);
      done.add(o);
      if (control.stopRequested()) {
        reporter.stopped();
        return false;
      }
      switch (o.kind()) {
        case SUCCEEDED -> {
          return completion.succeeded(o, done);
        }
        case OUT_OF_BUDGET -> {
          failForBudget();
          return false;
        }
        case PROVIDER_FAILED, METRIC_FAILED -> {
          previous.add(new PreviousAttempt(o.approach(), o.result(), o.metricScore()));
          if (n < max && revertAndBackOff(n, o.kind())) {
            reporter.stopped();
            return false;
          }
        }
        case STOPPED -> throw new IllegalStateException("handled above");
      }
    }
    completion.exhausted(done);
    return false;
  }

  /** Undoes a failed attempt's work and waits before the next one. True when stopped meanwhile. */
  private boolean revertAndBackOff(int n, AttemptOutcome.Kind kind) {
    control.activity("reverting");
    worktrees.revert(wt);
    control.activity("backoff");
    Duration delay =
        kind == AttemptOutcome.Kind.PROVIDER_FAILED
            ? settings.backoff().afterProviderError(n)
            : settings.backoff().afterMetricFailure();
    return control.sleep(delay);
  }

  private void failForBudget() {
    Instant from = task.claimedAt() != null ? task.claimedAt() : task.startedAt();
    long elapsed =
        from == null
            ? task.budgetMinutes()
            : Duration.between(from, settings.clock().instant()).toMinutes();
    reporter.fail(
        "Budget exceeded: " + elapsed + "m elapsed, " + task.budgetMinutes() + "m budget");
  }

  private Instant deadline() {
    if (task.budgetDeadline() != null) {
      return task.budgetDeadline();
    }
    int minutes = task.budgetMinutes() > 0 ? task.budgetMinutes() : 30;
    Instant from = task.claimedAt() != null ? task.claimedAt() : settings.clock().instant();
    return from.plus(Duration.ofMinutes(minutes));
  }
}
