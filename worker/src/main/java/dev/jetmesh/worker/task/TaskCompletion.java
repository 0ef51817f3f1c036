package dev.jetmesh.worker.task;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.git.MergeResult;
import dev.jetmesh.worker.git.Worktree;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.run.TaskControl;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a solo task's work ends up in the workspace: a successful attempt is committed on the task
 * branch, merged and reported as the task's result; when every attempt failed, the last one's work
 * is committed on the branch for a human and nothing is merged. One per task.
 */
final class TaskCompletion {
  private static final Logger log = LoggerFactory.getLogger(TaskCompletion.class);

  private final Worktrees worktrees;
  private final Worktree wt;
  private final Task task;
  private final TaskControl control;
  private final TaskReporter reporter;
  private final int maxAttempts;

  TaskCompletion(
      Worktrees worktrees,
      Worktree wt,
      Task task,
      TaskControl control,
      TaskReporter reporter,
      int maxAttempts) {
    this.worktrees = requireNonNull(worktrees, "null worktrees");
    this.wt = requireNonNull(wt, "null wt");
    this.task = requireNonNull(task, "null task");
    this.control = requireNonNull(control, "null control");
    this.reporter = requireNonNull(reporter, "null reporter");
    this.maxAttempts = maxAttempts;
  }

  /**
   * Commits and merges the successful attempt {@code o}, then completes the task. Returns true when
   * the branch was merged (and can be deleted).
   */
  boolean succeeded(AttemptOutcome o, List<AttemptOutcome> done) {
    control.activity("merging");
    String text = o.text() == null ? "" : o.text().strip();
    String summary =
        o.metricPassed() != null
            ? "Metric passed on attempt " + o.attempt() + ". " + Outputs.head(text, 200)
            : Outputs.tail(text, 500);
    Optional<String> sha = worktrees.commit(wt, commitMessage(task, summary));
    MergeResult merge =
        sha.isPresent() ? worktrees.merge(wt) : new MergeResult(false, false, "nothing to merge");
    reporter.complete(result(summary, sha, merge, done));
    return merge.merged();
  }

  /** {@code mesh.tasks.complete}'s result: the reference's fields, and where the work went. */
  private ObjectNode result(
      String summary, Optional<String> sha, MergeResult merge, List<AttemptOutcome> done) {
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
    return result;
  }

  /**
   * Every attempt failed: the last attempt's work is committed on the task branch for a human to
   * look at, nothing is merged, and the task is released.
   */
  void exhausted(List<AttemptOutcome> done) {
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
            + maxAttempts
            + " attempts. Last: "
            + Outputs.head(last.result() == null ? "" : last.result().strip(), 200);
    reporter.release(reason);
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
}
