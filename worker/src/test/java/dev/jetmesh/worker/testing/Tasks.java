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
}
