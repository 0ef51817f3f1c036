package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.projection.ProjectionWriteException;
import dev.jetmesh.schema.model.Attempt;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * The {@code task_attempts} rows of one batch, inserted in one JDBC batch. Keyed by the event's
 * sequence, so a batch applied again after a crash inserts nothing twice. Not thread-safe; one per
 * batch.
 */
final class AttemptRows {
  private static final String INSERT =
      """
      INSERT INTO task_attempts (seq, task_id, attempt, node_id, provider, model,
          approach, result, keep, exit_code, metric_passed, metric_score, duration_ms, cost_usd,
          tokens, output, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb),
          CAST(? AS jsonb), ?)
      ON CONFLICT (seq) DO NOTHING
      """;

  // Explicit types: a null value gives the driver nothing to infer its type from.
  private static final int[] TYPES = {
    Types.BIGINT, Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
    Types.VARCHAR, Types.VARCHAR, Types.BOOLEAN, Types.INTEGER, Types.BOOLEAN, Types.NUMERIC,
    Types.BIGINT, Types.NUMERIC, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP
  };

  private final List<Object[]> rows = new ArrayList<>();

  /** Queues the attempt recorded by the event at {@code seq}. */
  void add(String taskId, long seq, Attempt a) {
    rows.add(
        new Object[] {
          seq,
          taskId,
          a.attempt(),
          a.nodeId(),
          a.provider(),
          a.model(),
          a.approach(),
          a.result(),
          a.keep(),
          a.exitCode(),
          a.metricPassed(),
          a.metricScore(),
          a.durationMs(),
          a.costUsd(),
          a.tokens() == null ? null : a.tokens().toString(),
          a.output() == null ? null : TaskDocs.write(a.output()),
          ts(a.timestamp())
        });
  }

  void insert(Handle h) {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i], TYPES[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new ProjectionWriteException("task_attempts", e);
    }
  }

  private static @Nullable Timestamp ts(@Nullable Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
