package dev.jetmesh.worker.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.OutputSink;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.run.AttemptRunner;
import dev.jetmesh.worker.run.Heartbeater;
import dev.jetmesh.worker.run.ProviderChoice;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.Scratch;
import dev.jetmesh.worker.run.TaskControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one claimed task (REFERENCE.md section 6, "Solo execution", with the section 8 fixes):
 * resolves the provider, creates the worktree, starts the task, runs the {@link AttemptLoop} with
 * heartbeats, and cleans up. Every command carries the node id and the claim token. A stop from
 * another thread (notice, lost claim, shutdown) ends the run at the next step; only a shutdown
 * still reports (it releases). Thread-safe: it keeps no per-task state in fields, so one instance
 * serves the worker's task after task.
 */
public final class TaskExecutor {
  private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

  private final RunSettings settings;
  private final ProviderRegistry providers;
  private final TaskCommands commands;
  private final OutputSink outputs;
  private final Worktrees worktrees;

  public TaskExecutor(
      RunSettings settings,
      ProviderRegistry providers,
      TaskCommands commands,
      OutputSink outputs,
      Worktrees worktrees) {
    this.settings = requireNonNull(settings, "null settings");
    this.providers = requireNonNull(providers, "null providers");
    this.commands = requireNonNull(commands, "null commands");
    this.outputs = requireNonNull(outputs, "null outputs");
    this.worktrees = requireNonNull(worktrees, "null worktrees");
  }

  /** Runs {@code task} to an end (completed, released, failed or stopped). Never throws. */
  public void execute(Task task, TaskControl control) {
    TaskReporter reporter = new TaskReporter(commands, settings.nodeId(), task, control);
    try {
      run(task, control, reporter);
    } catch (RuntimeException e) {
      log.error("task {} failed inside the worker", task.taskId(), e);
      if (control.stopReason().isEmpty()) {
        reporter.release("Worker error: " + e.getMessage());
      } else {
        reporter.stopped();
      }
    }
  }

  private void run(Task task, TaskControl control, TaskReporter reporter) {
    ProviderChoice choice;
    try {
      choice = ProviderChoice.of(task, providers, settings);
    } catch (ProviderException e) {
      reporter.fail(e.getMessage());
      return;
    }
    Worktree wt;
    try {
      wt = worktrees.create(task.taskId());
    } catch (RuntimeException e) {
      log.error("cannot create worktree for {}", task.taskId(), e);
      reporter.release("Could not create worktree: " + e.getMessage());
      return;
    }
    boolean deleteBranch = false;
    Scratch scratch = null;
    try {
      scratch = Scratch.create(settings.scratch(), "task-" + task.taskId() + "-");
      if (!reporter.start()) {
        return;
      }
      log.info(
          "task {}: provider {} model {} in {}",
          task.taskId(),
          choice.provider().name(),
          choice.model(),
          wt.path());
      try (Heartbeater hb =
          Heartbeater.start(commands, control, settings.nodeId(), settings.heartbeatInterval())) {
        deleteBranch = loop(task, control, reporter, choice, wt, scratch.dir()).run();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      cleanUp(wt, deleteBranch, scratch);
    }
  }

  private AttemptLoop loop(
      Task task,
      TaskControl control,
      TaskReporter reporter,
      ProviderChoice choice,
      Worktree wt,
      Path scratch) {
    AttemptRunner runner = new AttemptRunner(settings, choice, task, wt.path(), scratch, control);
    Transcript transcript =
        new Transcript(settings, outputs, task, choice, scratch, control.claimToken());
    TaskAttempt attempt = new TaskAttempt(settings, runner, transcript);
    return new AttemptLoop(settings, worktrees, wt, task, control, reporter, attempt);
  }

  private void cleanUp(Worktree wt, boolean deleteBranch, @Nullable Scratch scratch) {
    try {
      worktrees.remove(wt, deleteBranch);
    } catch (RuntimeException e) {
      log.warn("could not remove worktree {}: {}", wt.path(), e.getMessage());
    }
    if (scratch != null) {
      scratch.close();
    }
  }
}
