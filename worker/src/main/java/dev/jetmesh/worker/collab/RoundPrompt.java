package dev.jetmesh.worker.collab;

import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.prompt.ScoreTrend;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The prompt of one collaboration round (REFERENCE.md section 6, "Collab execution", with the
 * section 8 fix): round, mode, role, whose vote decides under {@code coordinator} convergence, the
 * task, the shared intelligence whenever there is any (round 1's intra-round intel in sequential
 * mode included), the node's scope (read-only for reviewers), the success criteria, the metric
 * (with its threshold, and the earlier rounds' best scores and their trend) and the reflection
 * rules that ask for a final {@code ```json} block. The prompt travels as one argument and is never
 * interpreted. Stateless and thread-safe.
 */
public final class RoundPrompt {
  /** Scope entries with this prefix may be read but not changed (leader_only strategy). */
  public static final String REVIEW_ONLY = "[REVIEW-ONLY]";

  /** The scope of a node the partitioned strategy left without paths. */
  public static final String NO_SCOPE = "[NO-SCOPE-ASSIGNED]";

  private RoundPrompt() {}

  /** How a node may touch the files of its scope. */
  public enum Access {
    /** Change files within the scope. */
    WRITE,
    /** Read and review only. */
    REVIEW_ONLY,
    /** Nothing was assigned: change nothing. */
    NONE
  }

  /** The node's access from its scope: review-only when every entry is marked so. */
  public static Access access(List<String> scope) {
    if (scope.isEmpty()) {
      return Access.WRITE;
    }
    if (scope.stream().allMatch(s -> s.strip().equals(NO_SCOPE))) {
      return Access.NONE;
    }
    if (scope.stream().allMatch(s -> s.strip().startsWith(REVIEW_ONLY))) {
      return Access.REVIEW_ONLY;
    }
    return Access.WRITE;
  }

  /** The scope's paths without the review-only marker. */
  public static List<String> paths(List<String> scope) {
    List<String> out = new ArrayList<>();
    for (String s : scope) {
      String p = s.strip();
      if (p.equals(NO_SCOPE)) {
        continue;
      }
      if (p.startsWith(REVIEW_ONLY)) {
        p = p.substring(REVIEW_ONLY.length()).strip();
      }
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The prompt for {@code round} of {@code task}, for node {@code nodeId}. */
  public static String build(Task task, CollabWire.Round round, String nodeId) {
    String mode = orDefault(round.mode(), "parallel");
    String role = orDefault(round.myRole(), "worker");
    StringBuilder b = new StringBuilder();
    b.append("# Collaboration round ")
        .append(round.roundNumber())
        .append(": ")
        .append(task.title())
        .append("\n\n");
    b.append("You are node ")
        .append(nodeId)
        .append(" in collaboration session ")
        .append(round.sessionId())
        .append(".\nMode: ")
        .append(mode)
        .append(". Your role: ")
        .append(role)
        .append(".\n");
    b.append(modeNote(mode, round, nodeId)).append('\n');
    coordinatorNote(b, round.coordinator(), nodeId);
    b.append('\n');
    if (task.description() != null && !task.description().isBlank()) {
      b.append("## Task\n").append(task.description().strip()).append("\n\n");
    }
    if (!round.sharedIntel().isBlank()) {
      b.append("## Shared Intelligence\n")
          .append("What the nodes reported so far. Build on it; do not redo finished work.\n\n")
          .append(round.sharedIntel().strip())
          .append("\n\n");
    }
    scope(b, round.myScope());
    list(b, "Success Criteria", task.successCriteria());
    if (task.metric() != null && !task.metric().isBlank()) {
      b.append("## Verification\n")
          .append(ScoreTrend.verification(task.metricThreshold(), task.metricDirection()))
          .append("\n\n    ")
          .append(task.metric().strip().replace("\n", "\n    "))
          .append("\n\n");
      b.append(
          ScoreTrend.section(
              bestPerRound(round.roundScores(), task.metricDirection()),
              "the previous rounds (the best of each round)",
              task.metricThreshold(),
              task.metricDirection()));
    }
    b.append("## Instructions\n")
        .append("- Your working directory is your own git worktree of the project;")
        .append(" make all changes there.\n")
        .append("- Do not commit, push or switch branches: the mesh worker commits and merges")
        .append(" once the session completes.\n\n");
    reflectionRules(b);
    return b.toString();
  }

  /** Each earlier round's best score by the task's direction, oldest round first. */
  static List<BigDecimal> bestPerRound(
      List<CollabWire.RoundScores> rounds, @Nullable MetricDirection direction) {
    MetricDirection d = MetricDirection.orDefault(direction);
    List<BigDecimal> out = new ArrayList<>();
    rounds.stream()
        .sorted(Comparator.comparingInt(CollabWire.RoundScores::roundNumber))
        .forEach(
            r ->
                r.scores().values().stream()
                    .reduce((x, y) -> d.better(y, x) ? y : x)
                    .ifPresent(out::add));
    return out;
  }

  private static String modeNote(String mode, CollabWire.Round round, String nodeId) {
    return switch (mode) {
      case "sequential" ->
          "Nodes work one after another within a round; it is your turn now"
              + (round.currentTurn() != null && !round.currentTurn().equals(nodeId)
                  ? " (the orchestrator names " + round.currentTurn() + ")"
                  : "")
              + ". The intelligence below includes the turns taken before yours in this round.";
      case "review" ->
          "The leader writes the change; reviewers read it and report problems without"
              + " changing files.";
      default -> "All nodes work on this round at the same time, each in its own worktree.";
    };
  }

  /** Under {@code coordinator} convergence: whose vote decides, so the coordinator weighs it. */
  private static void coordinatorNote(StringBuilder b, String coordinator, String nodeId) {
    if (coordinator == null || coordinator.isBlank()) {
      return;
    }
    if (coordinator.equals(nodeId)) {
      b.append("You coordinate this session: your vote decides whether it ends after this round")
          .append(" (\"converged\" ends it; any other vote asks for another round).\n");
    } else {
      b.append("Node ")
          .append(coordinator)
          .append(" coordinates this session: its vote decides whether it ends.\n");
    }
  }

  private static void scope(StringBuilder b, List<String> scope) {
    List<String> paths = paths(scope);
    switch (access(scope)) {
      case REVIEW_ONLY -> {
        b.append("## Scope (REVIEW ONLY)\n")
            .append("You are a reviewer this round. Read and review these paths;")
            .append(" do NOT create, modify or delete any file:\n");
        paths.forEach(p -> b.append("- ").append(p).append('\n'));
        b.append('\n');
      }
      case NONE ->
          b.append("## Scope\n")
              .append("No paths were assigned to you this round: do not modify any file.")
              .append(" Review the others' work and report what you find.\n\n");
      case WRITE -> {
        if (paths.isEmpty() || paths.equals(List.of("*"))) {
          b.append("## Scope\nThe whole repository.\n\n");
        } else {
          b.append("## Scope\nOnly change files within these paths:\n");
          paths.forEach(p -> b.append("- ").append(p).append('\n'));
          b.append('\n');
        }
      }
    }
  }

  private static void reflectionRules(StringBuilder b) {
    b.append("## Reflection (required)\n")
        .append("End your answer with this fenced json block; it must be the last json block")
        .append(" of your output:\n\n")
        .append("```json\n")
        .append("{\"reflection\": {\"summary\": \"what you did this round\",")
        .append(" \"learnings\": \"what the other nodes should know\",")
        .append(" \"confidence\": 0.8, \"vote\": \"continue\"}}\n")
        .append("```\n\n")
        .append("- confidence: a number from 0 to 1.\n")
        .append("- vote: \"converged\" when the task is done and verified and no further round")
        .append(" is needed; \"continue\" when more work or review is needed; \"blocked\" when")
        .append(" you cannot make progress.\n");
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

  private static String orDefault(String s, String dflt) {
    return s == null || s.isBlank() ? dflt : s;
  }
}
