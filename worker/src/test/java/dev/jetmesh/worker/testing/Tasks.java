package dev.jetmesh.worker.testing;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/** Tasks as a claim reply carries them. */
public final class Tasks {
  private Tasks() {}

  /** A claimed task owned by {@code node} with claim token 42. */
  public static Task claimed(
      String id,
      String title,
      String description,
      String metric,
      String provider,
      int budgetMinutes,
      String node) {
    return claimed(id, title, description, metric, provider, budgetMinutes, node, List.of());
  }

  public static Task claimed(
      String id,
      String title,
      String description,
      String metric,
      String provider,
      int budgetMinutes,
      String node,
      List<String> criteria) {
    Instant now = Instant.now();
    return new Task(
        id,
        title,
        description,
        budgetMinutes,
        metric,
        "revert and log approach",
        List.of(),
        criteria,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        0,
        provider,
        null,
        null,
        null,
        null,
        null,
        TaskStatus.CLAIMED,
        now,
        List.of(),
        null,
        node,
        now,
        null,
        null,
        now.plusSeconds(budgetMinutes * 60L),
        null,
        null,
        42L,
        7L);
  }

  /** {@code t} with a metric score target. */
  public static Task withScoreTarget(
      Task t, java.math.BigDecimal threshold, dev.jetmesh.schema.model.MetricDirection direction) {
    return new Task(
        t.taskId(),
        t.title(),
        t.description(),
        t.budgetMinutes(),
        t.metric(),
        t.onFail(),
        t.scope(),
        t.successCriteria(),
        t.dependsOn(),
        t.tags(),
        t.preferredNodes(),
        t.excludeNodes(),
        t.priority(),
        t.llmProvider(),
        t.llmModel(),
        t.collaboration(),
        threshold,
        direction,
        t.budgetUsd(),
        t.status(),
        t.createdAt(),
        t.attempts(),
        t.collabSessionId(),
        t.owner(),
        t.claimedAt(),
        t.startedAt(),
        t.completedAt(),
        t.budgetDeadline(),
        t.lastActivity(),
        t.result(),
        t.claimToken(),
        t.version());
  }
}
