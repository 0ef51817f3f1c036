package dev.jetmesh.worker.run;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.process.ChildEnvironment;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.process.ProcessRunner;
import dev.jetmesh.worker.process.ProcessSpec;
import dev.jetmesh.worker.provider.Invocation;
import dev.jetmesh.worker.provider.RunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs an attempt in a worktree: the provider's CLI with the prompt, and the task's metric ({@code
 * bash -c <metric>} in the worktree). The one place where either is started, for a task's attempts
 * and for a collaboration's rounds alike; what an outcome means is the caller's business. The
 * provider's child gets the worker's environment minus what the provider strips; the metric gets it
 * whole. Output goes to files in {@code scratch}, named after the {@code tag} the caller gives each
 * run. Both runs are killed when {@code control} is stopped. Not thread-safe: one per task (or
 * round), used by its thread.
 */
public final class AttemptRunner {
  private final RunSettings settings;
  private final ProviderChoice choice;
  private final Task task;
  private final Path worktree;
  private final Path scratch;
  private final TaskControl control;

  public AttemptRunner(
      RunSettings settings,
      ProviderChoice choice,
      Task task,
      Path worktree,
      Path scratch,
      TaskControl control) {
    this.settings = requireNonNull(settings, "null settings");
    this.choice = requireNonNull(choice, "null choice");
    this.task = requireNonNull(task, "null task");
    this.worktree = requireNonNull(worktree, "null worktree");
    this.scratch = requireNonNull(scratch, "null scratch");
    this.control = requireNonNull(control, "null control");
  }

  /** The provider's CLI with {@code prompt} in the worktree, for at most {@code limit}. */
  public ProviderRun runProvider(String tag, String prompt, Duration limit) {
    control.activity("llm");
    Invocation inv =
        choice
            .provider()
            .invocation(new RunRequest(prompt, choice.model(), worktree, task.description()));
    Path out = scratch.resolve("llm-" + tag + ".out");
    Path err = scratch.resolve("llm-" + tag + ".err");
    ProcessResult llm =
        ProcessRunner.run(
            new ProcessSpec(
                inv.argv(),
                inv.cwd(),
                ChildEnvironment.without(settings.baseEnv(), inv.envStrip()),
                out,
                err,
                limit),
            control);
    String stdout = Outputs.read(out);
    String stderr = Outputs.read(err);
    return new ProviderRun(
        inv,
        llm,
        stdout,
        stderr,
        choice.provider().interpret(choice.model(), stdout, stderr),
        llm.stopped() || control.stopRequested());
  }

  /** Whether the task has a metric to check. */
  public boolean hasMetric() {
    return task.metric() != null && !task.metric().isBlank();
  }

  /**
   * The task's metric in the worktree, for at most {@code limit}, with the score its standard
   * output holds; the caller checks {@link #hasMetric} first.
   */
  public MetricCheck checkMetric(String tag, Duration limit) {
    if (!hasMetric()) {
      throw new IllegalStateException("task " + task.taskId() + " has no metric");
    }
    control.activity("metric");
    Path out = scratch.resolve("metric-" + tag + ".out");
    Path err = scratch.resolve("metric-" + tag + ".err");
    ProcessResult metric =
        ProcessRunner.run(
            new ProcessSpec(
                List.of("bash", "-c", task.metric()),
                worktree,
                settings.baseEnv(),
                out,
                err,
                limit),
            control);
    return new MetricCheck(
        metric,
        out,
        err,
        settings.metricTimeout(),
        metric.stopped() || control.stopRequested(),
        MetricScores.read(Outputs.read(out)),
        task.metricThreshold(),
        task.metricDirection());
  }

  /** The provider and model this runner uses. */
  public ProviderChoice choice() {
    return choice;
  }
}
