package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Applies a batch of task events to the {@code tasks} and {@code task_attempts} tables inside the
 * projector's transaction. It loads the touched rows once, folds the events with {@link
 * TaskEvolver#evolve} (the command side's own function) and writes each changed row once, so a
 * batch costs a few statements whatever its size. Not thread-safe; one per batch.
 */
public final class TaskProjector {
  private static final ObjectMapper M = Json.mapper();

  private final Map<String, Task> states = new LinkedHashMap<>();
  private final java.util.function.Function<String, Task> known;

  /**
   * @param known tasks as last committed by this projector (or null when not known): the projector
   *     is the only writer of {@code tasks}, so these are current and need not be read back
   */
  public TaskProjector(java.util.function.Function<String, Task> known) {
    this.known = known;
  }

  /** The states written by {@link #flush}; for the projector's cache once the batch committed. */
  public Map<String, Task> states() {
    return states;
  }

  private final Map<String, Long> submittedSeq = new LinkedHashMap<>();
  private final Set<String> completed = new HashSet<>();
  private final List<Object[]> attempts = new ArrayList<>();
  private final List<StoredEvent> events = new ArrayList<>();

  /** Queues one event; nothing is written until {@link #flush}. */
  public void add(StoredEvent e) {
    events.add(e);
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }

  /** Writes the batch through {@code h}. Throws on an event that cannot apply (poison). */
  public void flush(Handle h) {
    if (events.isEmpty()) {
      return;
    }
    loadCurrent(h);
    for (StoredEvent e : events) {
      String id = e.envelope().aggregateId();
      Task next = TaskEvolver.evolve(states.get(id), e);
      states.put(id, next);
      switch ((TaskEvent) e.event()) {
        case TaskEvent.TaskSubmitted s -> submittedSeq.put(id, e.seq());
        case TaskEvent.TaskCompleted c -> completed.add(id);
        case TaskEvent.AttemptRecorded a -> attempts.add(attemptRow(id, e.seq(), a.attempt()));
        case TaskEvent.TaskClaimed c -> {}
        case TaskEvent.TaskStarted s -> {}
        case TaskEvent.TaskFailed f -> {}
        case TaskEvent.TaskReleased r -> {}
        case TaskEvent.TaskCancelled c -> {}
        case TaskEvent.TaskBudgetExceeded b -> {}
        case TaskEvent.TaskStalled s -> {}
      }
    }
    upsertTasks(h);
    insertAttempts(h);
    recountDependencies(h);
  }

  private void loadCurrent(Handle h) {
    Set<String> ids = new HashSet<>();
    for (StoredEvent e : events) {
      String id = e.envelope().aggregateId();
      if (!states.containsKey(id)) {
        Task t = known.apply(id);
        if (t != null) {
          states.put(id, t);
        } else {
          ids.add(id);
        }
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    h.createQuery("SELECT task_id, doc::text AS doc FROM tasks WHERE task_id = ANY(:ids)")
        .bindArray("ids", String.class, ids)
        .map((rs, ctx) -> rs.getString("doc"))
        .forEach(
            doc -> {
              Task t = readTask(doc);
              states.put(t.taskId(), t);
            });
  }

  // Plain JDBC batches on the transaction's own connection: Jdbi's per-value binding showed up as
  // the largest CPU cost of projection in profiles.
  private static final String UPSERT =
      """
      INSERT INTO tasks (task_id, title, status, priority, budget_minutes, owner, claim_token,
          llm_provider, llm_model, collab_session_id, tags, depends_on, preferred_nodes,
          exclude_nodes, created_at, claimed_at, started_at, completed_at, budget_deadline,
          result, deps_pending, submitted_seq, last_seq, doc)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb),
          cardinality(CAST(? AS text[])), ?, ?, CAST(? AS jsonb))
      ON CONFLICT (task_id) DO UPDATE SET status = excluded.status,
          owner = excluded.owner, claim_token = excluded.claim_token,
          collab_session_id = excluded.collab_session_id, claimed_at = excluded.claimed_at,
          started_at = excluded.started_at, completed_at = excluded.completed_at,
          budget_deadline = excluded.budget_deadline, result = excluded.result,
          last_seq = excluded.last_seq, doc = excluded.doc
      """;

  private void upsertTasks(Handle h) {
    Connection c = h.getConnection();
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (Task t : states.values()) {
        int i = 0;
        ps.setString(++i, t.taskId());
        ps.setString(++i, t.title());
        ps.setString(++i, t.status().wire());
        ps.setInt(++i, t.priority());
        ps.setInt(++i, t.budgetMinutes());
        ps.setString(++i, t.owner());
        ps.setObject(++i, t.claimToken(), Types.BIGINT);
        ps.setString(++i, t.llmProvider());
        ps.setString(++i, t.llmModel());
        ps.setString(++i, t.collabSessionId());
        ps.setArray(++i, c.createArrayOf("text", t.tags().toArray()));
        Array deps = c.createArrayOf("text", t.dependsOn().toArray());
        ps.setArray(++i, deps);
        ps.setArray(++i, c.createArrayOf("text", t.preferredNodes().toArray()));
        ps.setArray(++i, c.createArrayOf("text", t.excludeNodes().toArray()));
        ps.setTimestamp(++i, ts(t.createdAt()));
        ps.setTimestamp(++i, ts(t.claimedAt()));
        ps.setTimestamp(++i, ts(t.startedAt()));
        ps.setTimestamp(++i, ts(t.completedAt()));
        ps.setTimestamp(++i, ts(t.budgetDeadline()));
        ps.setString(++i, t.result() == null ? null : t.result().toString());
        ps.setArray(++i, deps);
        ps.setLong(++i, submittedSeq.getOrDefault(t.taskId(), t.version()));
        ps.setLong(++i, t.version());
        ps.setString(++i, writeTask(t));
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new ProjectionWriteException("tasks", e);
    }
  }

  private void insertAttempts(Handle h) {
    if (attempts.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        h.getConnection()
            .prepareStatement(
                """
                INSERT INTO task_attempts (seq, task_id, attempt, node_id, provider, model,
                    approach, result, keep, exit_code, metric_passed, duration_ms, cost_usd,
                    tokens, output, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb),
                    CAST(? AS jsonb), ?)
                ON CONFLICT (seq) DO NOTHING
                """)) {
      int[] types = {
        Types.BIGINT, Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
        Types.VARCHAR, Types.VARCHAR, Types.BOOLEAN, Types.INTEGER, Types.BOOLEAN, Types.BIGINT,
        Types.NUMERIC, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP
      };
      for (Object[] row : attempts) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i], types[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new ProjectionWriteException("task_attempts", e);
    }
  }

  /** A write of the projection failed; the projector decides whether it is transient or poison. */
  public static final class ProjectionWriteException extends dev.jetmesh.schema.MeshException {
    public ProjectionWriteException(String table, SQLException e) {
      super("cannot write " + table + ": " + e.getMessage(), e);
    }
  }

  private static Object[] attemptRow(String taskId, long seq, Attempt a) {
    return new Object[] {
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
      a.durationMs(),
      a.costUsd(),
      a.tokens() == null ? null : a.tokens().toString(),
      a.output() == null ? null : writeJson(a.output()),
      ts(a.timestamp())
    };
  }

  /**
   * Recounts {@code deps_pending} for new tasks that have dependencies and for queued tasks that
   * wait on a task completed in this batch. A recount, not a decrement, so that order and
   * re-application cannot skew it.
   */
  private void recountDependencies(Handle h) {
    List<String> fresh = new ArrayList<>();
    for (String id : submittedSeq.keySet()) {
      if (!states.get(id).dependsOn().isEmpty()) {
        fresh.add(id);
      }
    }
    String recount =
        """
        UPDATE tasks t SET deps_pending = (
            SELECT count(*) FROM unnest(t.depends_on) d
            WHERE NOT EXISTS (SELECT 1 FROM tasks x WHERE x.task_id = d AND x.status = 'completed'))
        """;
    if (!fresh.isEmpty()) {
      h.createUpdate(recount + " WHERE t.task_id = ANY(:ids)")
          .bindArray("ids", String.class, fresh)
          .execute();
    }
    if (!completed.isEmpty()) {
      h.createUpdate(
              recount
                  + " WHERE t.status = 'queued' AND t.deps_pending > 0 AND t.depends_on && CAST(:ids AS text[])")
          .bindArray("ids", String.class, completed)
          .execute();
    }
  }

  static Task readTask(String doc) {
    try {
      return M.readValue(doc, Task.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable task row: " + e.getOriginalMessage(), e);
    }
  }

  static String writeTask(Task t) {
    return writeJson(t);
  }

  private static String writeJson(Object o) {
    try {
      return M.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
