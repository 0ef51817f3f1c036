package dev.jetmesh.orchestrator.task;

import dev.jetmesh.schema.InvalidRequestException;

/**
 * The orders of {@code GET /api/tasks} ({@code ?order=}), each with its own cursor kind, so that a
 * cursor of one order is refused by another. {@link #NEWEST} and {@link #UPDATED} page by one
 * stream sequence each: {@code submitted_seq} is the sequence of the task's own {@code
 * task.submitted}, {@code last_seq} that of its latest event, and as every event belongs to one
 * task, no two tasks share either, so the key alone orders exactly (no tie to break, even between
 * tasks submitted or changed in the same millisecond). Indexes: {@code tasks_list_order} (claim),
 * {@code tasks_newest_first}, {@code tasks_updated_first} (V8), each led by the status since V12
 * ({@link EveryStatus}). Immutable.
 */
public enum TaskOrder {
  /** How claims pick: priority descending, then oldest first (the default). */
  CLAIM(
      "claim",
      TaskHttpQueries.TASKS,
      3,
      " ORDER BY t.priority DESC, t.created_at, t.submitted_seq"),
  /** Most recently submitted first. */
  NEWEST("newest", "tasks-newest", 1, " ORDER BY t.submitted_seq DESC"),
  /** Most recently changed (its latest event) first. */
  UPDATED("updated", "tasks-updated", 1, " ORDER BY t.last_seq DESC");

  private final String wire;
  private final String cursorKind;
  private final int cursorKeys;
  private final String orderBy;

  TaskOrder(String wire, String cursorKind, int cursorKeys, String orderBy) {
    this.wire = wire;
    this.cursorKind = cursorKind;
    this.cursorKeys = cursorKeys;
    this.orderBy = orderBy;
  }

  public String wire() {
    return wire;
  }

  /** The listing kind its cursors carry. */
  String cursorKind() {
    return cursorKind;
  }

  /** How many keys its cursors hold. */
  int cursorKeys() {
    return cursorKeys;
  }

  /** The {@code ORDER BY} clause over {@code tasks t}. */
  String orderBy() {
    return orderBy;
  }

  /**
   * The order named {@code name}.
   *
   * @throws InvalidRequestException for any other word
   */
  public static TaskOrder fromWire(String name) {
    for (TaskOrder o : values()) {
      if (o.wire.equals(name)) {
        return o;
      }
    }
    throw new InvalidRequestException(
        "Unknown task order: " + name + " (expected claim, newest or updated)");
  }
}
