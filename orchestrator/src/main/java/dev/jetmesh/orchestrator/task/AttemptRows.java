package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.db.CopyRows;
import dev.jetmesh.orchestrator.projection.ProjectionWriteException;
import dev.jetmesh.schema.model.Attempt;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;

/**
 * The {@code task_attempts} rows of one batch, loaded with one {@code COPY}. Only events above the
 * main projection's checkpoint get here, and the checkpoint commits in the same transaction, so
 * each row is new: a batch applied again after a crash finds its events below the checkpoint and
 * writes nothing. Not thread-safe; one per batch.
 */
final class AttemptRows {
  private static final String COLUMNS =
      "seq, task_id, attempt, node_id, provider, model, approach, result, keep, exit_code,"
          + " metric_passed, metric_score, duration_ms, cost_usd, tokens, output, recorded_at";

  private final CopyRows rows = new CopyRows();

  /** Queues the attempt recorded by the event at {@code seq}. */
  void add(String taskId, long seq, Attempt a) {
    rows.number(seq)
        .text(taskId)
        .number(a.attempt())
        .text(a.nodeId())
        .text(a.provider())
        .text(a.model())
        .text(a.approach())
        .text(a.result())
        .bool(a.keep())
        .number(a.exitCode())
        .bool(a.metricPassed())
        .number(a.metricScore())
        .number(a.durationMs())
        .number(a.costUsd())
        .text(a.tokens() == null ? null : a.tokens().toString())
        .text(a.output() == null ? null : TaskDocs.write(a.output()))
        .time(a.timestamp())
        .endRow();
  }

  void insert(Handle h) {
    try {
      rows.copyInto(h.getConnection(), "task_attempts", COLUMNS);
    } catch (SQLException e) {
      throw new ProjectionWriteException("task_attempts", e);
    }
  }
}
