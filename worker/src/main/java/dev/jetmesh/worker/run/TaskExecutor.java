package dev.jetmesh.worker.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.git.MergeResult;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.OutputSink;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.prompt.PreviousAttempt;
import dev.jetmesh.worker.prompt.PromptBuilder;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one claimed task (REFERENCE.md section 6, "Solo execution", with the section 8 fixes):
 * worktree, start, attempts with heartbeats, revert of every failed attempt, commit and merge on
 * success, release without merging when attempts run out. Every command carries the node id and the
 * claim token. A stop from another thread (notice, lost claim, shutdown) ends the run at the next
 * step; only a shutdown still reports (it releases). Thread-safe: it keeps no per-task state in
 * fields, so one instance serves the worker's task after task.
 */
public final class TaskExecutor {
  static final String SHUTDOWN_REASON = "worker shutting down";
  private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);
  private static final int TERMINAL_TRIES = 3;

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
    try {
      run(task, control);
    } catch (RuntimeException e) {
      log.error("task {} failed inside the worker", task.taskId(), e);
      if (control.stopReason().isEmpty()) {
        terminal(
            "release",
            task,
            () -> commands.release(fail(task, control, "Worker error: " + e.getMessage())));
      } else {
        reportStop(task, control);
      }
    }
  }

  private void run(Task task, TaskControl control) {
    Provider provider;
    try {
      provider =
          providers.resolve(task.llmProvider(), settings.envProvider(), settings.flagProvider());
    } catch (ProviderException e) {
      terminal("fail", task, () -> commands.fail(fail(task, control, e.getMessage())));
      return;
    }
    String model = ProviderRegistry.resolveModel(task.llmModel(), settings.flagModel(), provider);
    Worktree wt;
    try {
      wt = worktrees.create(task.taskId());
    } catch (RuntimeException e) {
      log.error("cannot create worktree for {}", task.taskId(), e);
      terminal(
          "release",
          task,
          () ->
              commands.release(
                  fail(task, control, "Could not create worktree: " + e.getMessage())));
      return;
    }
    boolean deleteBranch = false;
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory(settings.scratch(), "task-" + task.taskId() + "-");
      try {
        commands.start(
            new TaskRequests.Ref(task.taskId(), settings.nodeId(), control.claimToken()));
      } catch (RejectedException e) {
        log.warn("start of {} refused ({}); abandoning it", task.taskId(), e.getMessage());
        return;
      }
      log.info(
          "task {}: provider {} model {} in {}", task.taskId(), provider.name(), model, wt.path());
      try (Heartbeater hb =
          Heartbeater.start(commands, control, settings.nodeId(), settings.heartbeatInterval())) {
        AttemptRunner runner =
            new AttemptRunner(settings, outputs, task, provider, model, wt, control, scratch);
        deleteBranch = attempts(task, control, runner, wt);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      cleanUp(wt, deleteBranch, scratch);
    }
  }

  /** The attempt loop. Returns true when the branch was merged (and can be deleted). */
  private boolean attempts(Task task, TaskControl control, AttemptRunner runner, Worktree wt) {
    Instant deadline = deadline(task);
    int max = settings.maxAttempts();
    List<PreviousAttempt> previous = new ArrayList<>();
    List<AttemptOutcome> done = new ArrayList<>();
    for (int n = 1; n <= max; n++) {
      if (control.stopRequested()) {
        reportStop(task, control);
        return false;
      }
      if (!settings.clock().instant().isBefore(deadline)) {
        failForBudget(task, control);
        return false;
      }
      String prompt = PromptBuilder.build(task, n, max, previous);
      AttemptOutcome o = runner.run(n, prompt, deadline);
      if (o.kind() == AttemptOutcome.Kind.STOPPED) {
        reportStop(task, control);
        return false;
      }
      report(task, control, o);
      done.add(o);
      if (control.stopRequested()) {
        reportStop(task, control);
        return false;
      }
      switch (o.kind()) {
        case SUCCEEDED -> {
          return finish(task, control, wt, o, done);
        }
        case OUT_OF_BUDGET -> {
          failForBudget(task, control);
          return false;
        }
        case PROVIDER_FAILED, METRIC_FAILED -> {
          previous.add(new PreviousAttempt(o.approach(), o.result()));
          if (n < max) {
            control.activity("reverting");
            worktrees.revert(wt);
            control.activity("backoff");
            Duration delay =
                o.kind() == AttemptOutcome.Kind.PROVIDER_FAILED
                    ? settings.backoff().afterProviderError(n)
                    : settings.backoff().afterMetricFailure();
            if (control.sleep(delay)) {
              reportStop(task, control);
              return false;
            }
          }
        }
        case STOPPED -> throw new IllegalStateException("handled above");
      }
    }
    exhausted(task, control, wt, done);
    return false;
  }

  /** Commits and merges the successful attempt, then completes the task. */
  private boolean finish(
      Task task, TaskControl control, Worktree wt, AttemptOutcome o, List<AttemptOutcome> done) {
    control.activity("merging");
    String text = o.text() == null ? "" : o.text().strip();
    String summary =
        o.metricPassed() != null
            ? "Metric passed on attempt " + o.attempt() + ". " + Outputs.head(text, 200)
            : Outputs.tail(text, 500);
    Optional<String> sha = worktrees.commit(wt, commitMessage(task, summary));
    MergeResult merge =
        sha.isPresent() ? worktrees.merge(wt) : new MergeResult(false, false, "nothing to merge");
    ObjectNode result = Json.mapper().createObjectNode();
    result.put("success", true);
    result.put("summary", summary);
    ArrayNode artifacts = result.putArray("artifacts");
    sha.ifPresent(s -> worktrees.changedFiles(wt, s).forEach(artifacts::add));
    BigDecimal cost = totalCost(done);
    if (cost == null) {
      result.putNull("cost");
    } else {
      result.put("cost", cost);
    }
    if (sha.isPresent()) {
      result.put("sha", sha.get());
    } else {
      result.putNull("sha");
    }
    result.put("merged", merge.merged());
    if (merge.conflict()) {
      result.put("conflict", true);
      result.put("branch", wt.branch());
    }
    terminal(
        "complete",
        task,
        () ->
            commands.complete(
                new TaskRequests.Complete(
                    task.taskId(), result, settings.nodeId(), control.claimToken())));
    return merge.merged();
  }

  /**
   * Every attempt failed: the last attempt's work is committed on the task branch for a human to
   * look at, nothing is merged, and the task is released.
   */
  private void exhausted(Task task, TaskControl control, Worktree wt, List<AttemptOutcome> done) {
    AttemptOutcome last = done.get(done.size() - 1);
    try {
      worktrees.commit(
          wt,
          "mesh("
              + task.taskId()
              + "): unmerged work of the last attempt ("
              + done.size()
              + " failed)");
    } catch (RuntimeException e) {
      log.warn(
          "could not keep the last attempt of {} on its branch: {}", task.taskId(), e.getMessage());
    }
    String reason =
        "Exhausted "
            + done.size()
            + "/"
            + settings.maxAttempts()
            + " attempts. Last: "
            + Outputs.head(last.result() == null ? "" : last.result().strip(), 200);
    terminal("release", task, () -> commands.release(fail(task, control, reason)));
  }

  private void failForBudget(Task task, TaskControl control) {
    Instant from = task.claimedAt() != null ? task.claimedAt() : task.startedAt();
    long elapsed =
        from == null
            ? task.budgetMinutes()
            : Duration.between(from, settings.clock().instant()).toMinutes();
    String reason =
        "Budget exceeded: " + elapsed + "m elapsed, " + task.budgetMinutes() + "m budget";
    terminal("fail", task, () -> commands.fail(fail(task, control, reason)));
  }

  /** After a stop: a shutdown releases the task; a notice or a lost claim reports nothing. */
  private void reportStop(Task task, TaskControl control) {
    StopReason why = control.stopReason().orElse(StopReason.SHUTDOWN);
    if (why == StopReason.SHUTDOWN) {
      terminal("release", task, () -> commands.release(fail(task, control, SHUTDOWN_REASON)));
    } else {
      log.info("task {} stopped ({}); reporting nothing more", task.taskId(), why);
    }
  }

  private void report(Task task, TaskControl control, AttemptOutcome o) {
    try {
      commands.attempt(
          new TaskRequests.RecordAttempt(
              task.taskId(),
              o.approach(),
              o.result(),
              o.keep(),
              o.attempt(),
              o.provider(),
              o.model(),
              o.exitCode(),
              o.metricPassed(),
              o.durationMs(),
              o.costUsd(),
              o.tokens(),
              o.output(),
              settings.nodeId(),
              control.claimToken()));
    } catch (RejectedException e) {
      log.warn(
          "attempt report for {} refused ({}): the task is no longer ours",
          task.taskId(),
          e.getMessage());
      control.stop(StopReason.LOST_CLAIM);
    } catch (UnavailableException e) {
      log.warn("attempt report for {} got no answer: {}", task.taskId(), e.getMessage());
    }
  }

  /**
   * Sends a command that ends the task, retrying when the outcome is unknown (a repeat of one that
   * did land is refused harmlessly, since the task is then terminal).
   */
  private void terminal(String what, Task task, Runnable send) {
    for (int i = 1; i <= TERMINAL_TRIES; i++) {
      try {
        send.run();
        log.info("task {}: {} sent", task.taskId(), what);
        return;
      } catch (RejectedException e) {
        log.warn("task {}: {} refused: {}", task.taskId(), what, e.getMessage());
        return;
      } catch (UnavailableException e) {
        log.warn(
            "task {}: {} got no answer (try {}/{}): {}",
            task.taskId(),
            what,
            i,
            TERMINAL_TRIES,
            e.getMessage());
        if (i < TERMINAL_TRIES) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  private TaskRequests.Fail fail(Task task, TaskControl control, String reason) {
    return new TaskRequests.Fail(
        task.taskId(), reason, null, settings.nodeId(), control.claimToken());
  }

  private Instant deadline(Task task) {
    if (task.budgetDeadline() != null) {
      return task.budgetDeadline();
    }
    int minutes = task.budgetMinutes() > 0 ? task.budgetMinutes() : 30;
    Instant from = task.claimedAt() != null ? task.claimedAt() : settings.clock().instant();
    return from.plus(Duration.ofMinutes(minutes));
  }

  static String commitMessage(Task task, String summary) {
    String oneLine = summary.replaceAll("\\s+", " ").strip();
    if (oneLine.isEmpty()) {
      oneLine = task.title() == null ? "" : task.title().replaceAll("\\s+", " ").strip();
    }
    return "mesh(" + task.taskId() + "): " + Outputs.head(oneLine, 72);
  }

  private static @Nullable BigDecimal totalCost(List<AttemptOutcome> done) {
    BigDecimal sum = null;
    for (AttemptOutcome o : done) {
      if (o.costUsd() != null) {
        sum = sum == null ? o.costUsd() : sum.add(o.costUsd());
      }
    }
    return sum;
  }

  private void cleanUp(Worktree wt, boolean deleteBranch, @Nullable Path scratch) {
    try {
      worktrees.remove(wt, deleteBranch);
    } catch (RuntimeException e) {
      log.warn("could not remove worktree {}: {}", wt.path(), e.getMessage());
    }
    if (scratch != null) {
      try (Stream<Path> walk = Files.walk(scratch)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        log.warn("could not delete {}: {}", scratch, e.getMessage());
      }
    }
  }
}
