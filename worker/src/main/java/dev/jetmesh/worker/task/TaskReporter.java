package dev.jetmesh.worker.task;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a solo task tells the orchestrator: each attempt, and the one command that ends the task
 * (complete, fail or release). Every command carries the node id and the claim token. A refused
 * attempt report means the task is no longer this node's and stops the run. Thread-safe as far as
 * {@link TaskCommands} is; one per task.
 */
final class TaskReporter {
  static final String SHUTDOWN_REASON = "worker shutting down";
  private static final Logger log = LoggerFactory.getLogger(TaskReporter.class);
  private static final int TERMINAL_TRIES = 3;

  private final TaskCommands commands;
  private final String nodeId;
  private final Task task;
  private final TaskControl control;

  TaskReporter(TaskCommands commands, String nodeId, Task task, TaskControl control) {
    this.commands = requireNonNull(commands, "null commands");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
    this.task = requireNonNull(task, "null task");
    this.control = requireNonNull(control, "null control");
  }

  /** {@code mesh.tasks.start}; false when refused (the task is no longer ours). */
  boolean start() {
    try {
      commands.start(new TaskRequests.Ref(task.taskId(), nodeId, control.claimToken()));
      return true;
    } catch (RejectedException e) {
      log.warn("start of {} refused ({}); abandoning it", task.taskId(), e.getMessage());
      return false;
    }
  }

  void attempt(AttemptOutcome o) {
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
              o.metricScore(),
              o.durationMs(),
              o.costUsd(),
              o.tokens(),
              o.output(),
              nodeId,
              control.claimToken()));
    } catch (RejectedException e) {
      log.warn(
          "attempt report for {} refused ({}): the task is no longer ours",
          task.taskId(),
          e.getMessage());
      control.stop(StopReason.ofRefusal(e.code()));
    } catch (UnavailableException e) {
      log.warn("attempt report for {} got no answer: {}", task.taskId(), e.getMessage());
    }
  }

  /**
   * Asks before each attempt after the first: {@code mesh.tasks.start} again, which records nothing
   * on a running task but is refused once the task has spent its {@code budget_usd} ({@code
   * BUDGET_EXCEEDED}: the run stops for its budget, and reports nothing, since the orchestrator
   * failed the task) or is no longer ours (the run stops as a lost claim). True when the next
   * attempt may start; an unknown outcome lets it start (the next report settles it).
   */
  boolean resume() {
    try {
      commands.start(new TaskRequests.Ref(task.taskId(), nodeId, control.claimToken()));
      return true;
    } catch (RejectedException e) {
      StopReason why = StopReason.ofRefusal(e.code());
      if (why == StopReason.BUDGET_EXCEEDED) {
        log.info("task {}: budget spent, no further attempt: {}", task.taskId(), e.getMessage());
      } else {
        log.warn("task {}: next attempt refused ({})", task.taskId(), e.getMessage());
      }
      control.stop(why);
      return false;
    } catch (UnavailableException e) {
      log.warn("task {}: next attempt unconfirmed: {}", task.taskId(), e.getMessage());
      return true;
    }
  }

  void complete(JsonNode result) {
    terminal(
        "complete",
        () ->
            commands.complete(
                new TaskRequests.Complete(task.taskId(), result, nodeId, control.claimToken())));
  }

  void fail(String reason) {
    terminal("fail", () -> commands.fail(failure(reason)));
  }

  void release(String reason) {
    terminal("release", () -> commands.release(failure(reason)));
  }

  /** After a stop: a shutdown releases the task; a notice or a lost claim reports nothing. */
  void stopped() {
    StopReason why = control.stopReason().orElse(StopReason.SHUTDOWN);
    if (why == StopReason.SHUTDOWN) {
      release(SHUTDOWN_REASON);
    } else {
      log.info("task {} stopped ({}); reporting nothing more", task.taskId(), why);
    }
  }

  private TaskRequests.Fail failure(String reason) {
    return new TaskRequests.Fail(task.taskId(), reason, null, nodeId, control.claimToken());
  }

  /**
   * Sends a command that ends the task, retrying when the outcome is unknown (a repeat of one that
   * did land is refused harmlessly, since the task is then terminal).
   */
  private void terminal(String what, Runnable send) {
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
        if (i < TERMINAL_TRIES && !pauseBeforeRetry()) {
          return;
        }
      }
    }
  }

  private static boolean pauseBeforeRetry() {
    try {
      Thread.sleep(1000);
      return true;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
