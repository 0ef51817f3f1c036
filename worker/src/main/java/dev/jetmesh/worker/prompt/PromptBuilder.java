package dev.jetmesh.worker.prompt;

import dev.jetmesh.schema.model.MetricScore;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.process.Outputs;
import java.util.List;

/**
 * Builds the solo prompt of the reference agent: {@code # Task}, the description, Success Criteria,
 * Verification (the metric, which must exit 0, or print a score that meets the task's threshold),
 * Scope and Instructions; a retry adds {@code (Attempt n/MAX)}, the previous attempts and, when
 * their metric printed scores, the scores and their trend ({@link ScoreTrend}). The prompt travels
 * to the CLI as one argument, so its text is never interpreted. Stateless and thread-safe.
 */
public final class PromptBuilder {
  /** Longest result text of a previous attempt shown in a retry prompt. */
  static final int PREVIOUS_RESULT_CHARS = 500;

  private PromptBuilder() {}

  /**
   * The prompt for attempt {@code attempt} of {@code maxAttempts}.
   *
   * @param previous earlier attempts of this run, oldest first (empty on the first attempt)
   */
  public static String build(
      Task task, int attempt, int maxAttempts, List<PreviousAttempt> previous) {
    StringBuilder b = new StringBuilder();
    b.append("# Task: ").append(task.title());
    if (attempt > 1) {
      b.append(" (Attempt ").append(attempt).append('/').append(maxAttempts).append(')');
    }
    b.append("\n\n");
    if (task.description() != null && !task.description().isBlank()) {
      b.append(task.description().strip()).append("\n\n");
    }
    list(b, "Success Criteria", task.successCriteria());
    if (task.metric() != null && !task.metric().isBlank()) {
      b.append("## Verification\n")
          .append(verification(task))
          .append("\n\n")
          .append("    ")
          .append(task.metric().strip().replace("\n", "\n    "))
          .append("\n\n");
    }
    list(b, "Scope", task.scope());
    if (!previous.isEmpty()) {
      b.append("## Previous Attempts\n")
          .append("These attempts failed and their changes were reverted. ")
          .append("Try a different approach.\n\n");
      for (PreviousAttempt p : previous) {
        b.append("- ").append(p.approach()).append('\n');
        String result = Outputs.tail(p.result(), PREVIOUS_RESULT_CHARS).strip();
        if (!result.isEmpty()) {
          b.append("  Result: ").append(result.replace("\n", "\n  ")).append('\n');
        }
        if (p.score() != null) {
          b.append("  Score: ").append(MetricScore.text(p.score())).append('\n');
        }
      }
      b.append('\n');
      b.append(ScoreTrend.section(previous, task.metricThreshold(), task.metricDirection()));
    }
    b.append("## Instructions\n")
        .append("- Your working directory is a git worktree of the project on its own branch;")
        .append(" make all changes there.\n");
    if (task.scope() != null && !task.scope().isEmpty()) {
      b.append("- Only change files within the scope above.\n");
    }
    if (task.metric() != null && !task.metric().isBlank()) {
      b.append("- Run the verification command and make sure it passes before you finish.\n");
    }
    b.append("- Do not commit, push or switch branches: the mesh worker commits and merges.\n")
        .append("- Finish with a short summary of what you changed.\n");
    return b.toString();
  }

  private static String verification(Task task) {
    return ScoreTrend.verification(task.metricThreshold(), task.metricDirection());
  }

  private static void list(StringBuilder b, String heading, List<String> items) {
    if (items == null || items.isEmpty()) {
      return;
    }
    b.append("## ").append(heading).append('\n');
    for (String item : items) {
      b.append("- ").append(item).append('\n');
    }
    b.append('\n');
  }
}
