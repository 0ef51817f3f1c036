package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.db.CopyRows;
import dev.jetmesh.orchestrator.projection.ProjectionWriteException;
import dev.jetmesh.schema.Instants;
import dev.jetmesh.schema.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a batch's {@code tasks} rows in two statements whatever its size (per-value binding was
 * the largest CPU cost of projection in profiles): tasks submitted in the batch are new by
 * construction (a submission is the first event of its subject, and the checkpoint keeps a batch
 * from being applied twice), so they are loaded with COPY; the others are updated from arrays.
 * Thread-safe (stateless).
 */
final class TaskRows {
  private static final String COLUMNS =
      "task_id, title, status, priority, budget_minutes, owner, claim_token, llm_provider,"
          + " llm_model, collab_session_id, tags, depends_on, preferred_nodes, exclude_nodes,"
          + " created_at, claimed_at, started_at, completed_at, budget_deadline, result,"
          + " deps_pending, submitted_seq, last_seq, doc";

  // What changes after a submission; the other columns are fixed by it.
  private static final String UPDATE =
      """
      UPDATE tasks t SET status = u.status, owner = u.owner, claim_token = u.claim_token,
          collab_session_id = u.collab_session_id, claimed_at = u.claimed_at::timestamptz,
          started_at = u.started_at::timestamptz, completed_at = u.completed_at::timestamptz,
          budget_deadline = u.budget_deadline::timestamptz, result = u.result::jsonb,
          last_seq = u.last_seq, doc = u.doc::json
      FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]),
          CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
          CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]))
          AS u(task_id, status, owner, claim_token, collab_session_id, claimed_at, started_at,
               completed_at, budget_deadline, result, last_seq, doc)
      WHERE t.task_id = u.task_id
      """;

  private TaskRows() {}

  /**
   * @param states the batch's tasks as they end it
   * @param submittedSeq the tasks submitted in the batch, with their submission's sequence
   */
  static void write(Connection c, Collection<Task> states, Map<String, Long> submittedSeq) {
    CopyRows inserts = new CopyRows();
    List<Task> updates = new ArrayList<>(states.size());
    for (Task t : states) {
      Long submitted = submittedSeq.get(t.taskId());
      if (submitted == null) {
        updates.add(t);
      } else {
        newRow(inserts, t, submitted);
      }
    }
    try {
      inserts.copyInto(c, "tasks", COLUMNS);
      if (!updates.isEmpty()) {
        update(c, updates);
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("tasks", e);
    }
  }

  private static void newRow(CopyRows rows, Task t, long submitted) {
    rows.text(t.taskId())
        .text(t.title())
        .text(t.status().wire())
        .number(t.priority())
        .number(t.budgetMinutes())
        .text(t.owner())
        .number(t.claimToken())
        .text(t.llmProvider())
        .text(t.llmModel())
        .text(t.collabSessionId())
        .textArray(t.tags())
        .textArray(t.dependsOn())
        .textArray(t.preferredNodes())
        .textArray(t.excludeNodes())
        .time(t.createdAt())
        .time(t.claimedAt())
        .time(t.startedAt())
        .time(t.completedAt())
        .time(t.budgetDeadline())
        .text(t.result() == null ? null : t.result().toString())
        .number(t.dependsOn().size())
        .number(submitted)
        .number(t.version())
        .text(TaskDocs.task(t))
        .endRow();
  }

  private static void update(Connection c, List<Task> updates) throws SQLException {
    int n = updates.size();
    String[] id = new String[n];
    String[] status = new String[n];
    @Nullable String[] owner = new String[n];
    @Nullable Long[] token = new Long[n];
    @Nullable String[] session = new String[n];
    @Nullable String[] claimedAt = new String[n];
    @Nullable String[] startedAt = new String[n];
    @Nullable String[] completedAt = new String[n];
    @Nullable String[] deadline = new String[n];
    @Nullable String[] result = new String[n];
    Long[] lastSeq = new Long[n];
    String[] doc = new String[n];
    for (int i = 0; i < n; i++) {
      Task t = updates.get(i);
      id[i] = t.taskId();
      status[i] = t.status().wire();
      owner[i] = t.owner();
      token[i] = t.claimToken();
      session[i] = t.collabSessionId();
      claimedAt[i] = iso(t.claimedAt());
      startedAt[i] = iso(t.startedAt());
      completedAt[i] = iso(t.completedAt());
      deadline[i] = iso(t.budgetDeadline());
      result[i] = t.result() == null ? null : t.result().toString();
      lastSeq[i] = t.version();
      doc[i] = TaskDocs.task(t);
    }
    Object[][] columns = {
      id,
      status,
      owner,
      token,
      session,
      claimedAt,
      startedAt,
      completedAt,
      deadline,
      result,
      lastSeq,
      doc
    };
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      for (int k = 0; k < columns.length; k++) {
        ps.setArray(
            k + 1, c.createArrayOf(columns[k] instanceof Long[] ? "bigint" : "text", columns[k]));
      }
      int updated = ps.executeUpdate();
      if (updated != n) {
        // Every task here was submitted in an earlier, committed batch.
        throw new SQLException(
            "expected to update "
                + n
                + " task rows, updated "
                + updated
                + ": the read model lacks a task that the stream has");
      }
    }
  }

  private static @Nullable String iso(@Nullable Instant i) {
    return i == null ? null : Instants.format(i);
  }
}
