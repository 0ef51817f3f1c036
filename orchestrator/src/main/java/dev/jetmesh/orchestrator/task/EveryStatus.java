package dev.jetmesh.orchestrator.task;

import static java.util.stream.Collectors.joining;

import dev.jetmesh.schema.model.TaskStatus;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A task list across every status, read as one short index range per status and merged. The list
 * orders' indexes begin with the status (migration V12), so that a list filtered by status reads
 * only its own rows; Postgres 15 cannot skip through the status column of such an index for an
 * unfiltered list, so the query does: for each status the first rows in the list's order, then the
 * first of all of them. Thread-safe (constants).
 */
final class EveryStatus {
  /** Every status a task can have, as rows {@code s(status)}: constants of the code, not input. */
  static final String ROWS =
      Arrays.stream(TaskStatus.values())
          .map(s -> "('" + s.wire() + "')")
          .collect(joining(", ", "(VALUES ", ") AS s(status)"));

  /** The condition that ties the per-status query to its status row. */
  static final String CONDITION = "t.status = s.status";

  private EveryStatus() {}

  /**
   * Whether a list needs the merge: not when it is filtered by status, and not when it is filtered
   * by tag. A list by owner does: each status's branch then either walks that status's range of the
   * list order (an owner that holds much of the history) or reads the owner's few tasks of that
   * status ({@code tasks_by_owner}, led by owner and status), as Postgres judges. A list by tag
   * reads the tagged tasks ({@code tasks_by_tag}) and sorts them: split by status, Postgres had
   * combined each status's whole range of a list order's index with the tag's index, 50,000 entries
   * for a tag of five tasks in {@code TaskListPlanIT}.
   */
  static boolean needed(@Nullable TaskStatus status, @Nullable String tag) {
    return status == null && tag == null;
  }

  /**
   * {@code perStatus} (a query over {@code tasks t} that holds {@link #CONDITION}, in {@code
   * orderBy}, at most {@code limit} rows) run for every status, and the first {@code limit} rows of
   * all of them in {@code orderBy}.
   */
  static String merged(String perStatus, String orderBy, String limit) {
    return "SELECT t.* FROM "
        + ROWS
        + " CROSS JOIN LATERAL ("
        + perStatus
        + ") t"
        + orderBy
        + " LIMIT "
        + limit;
  }
}
