package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetmesh.orchestrator.db.CopyRows;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Applies a batch of task events to the {@code tasks} and {@code task_attempts} tables inside the
 * projector's transaction. It loads the touched rows once, folds the events with {@link
 * TaskEvolver#evolve} (the command side's own function) and writes each changed row once, so a
 * batch costs a few statements whatever its size. Not thread-safe; one per batch.
 */
public final class TaskProjector {
  private static final ObjectMapper M = Json.mapper();

  private final Map<String, Task> states = new LinkedHashMap<>();
  private final Function<String, @Nullable Task> known;
  private final AtomicBoolean dependencyWaiters;

  /**
   * @param known tasks as last committed by this projector (or null when not known): the projector
   *     is the only writer of {@code tasks}, so these are current and need not be read back
   * @param dependencyWaiters false only while no queued task can be waiting on a dependency (then a
   *     completion needs no recount); raised here when a task with dependencies is submitted
   */
  public TaskProjector(Function<String, @Nullable Task> known, AtomicBoolean dependencyWaiters) {
    this.known = known;
    this.dependencyWaiters = dependencyWaiters;
  }

  /** The states written by {@link #flush}; for the projector's cache once the batch committed. */
  public Map<String, Task> states() {
    return states;
  }

  private final Map<String, Long> submittedSeq = new LinkedHashMap<>();
  private final Set<String> completed = new HashSet<>();

  /** task id → dependencies still pending, for every task this batch recounted. */
  private final Map<String, Integer> depsPending = new HashMap<>();

  /** Tasks submitted in this batch, with their submission's sequence. */
  Map<String, Long> submittedSeq() {
    return submittedSeq;
  }

  /** Dependencies still pending of every task this batch recounted. */
  Map<String, Integer> depsPending() {
    return depsPending;
  }

  /** task id → the node that held it before this batch (null: none). */
  private final Map<String, @Nullable String> heldBefore = new HashMap<>();

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
      Task before = states.get(id);
      if (!heldBefore.containsKey(id)) {
        heldBefore.put(id, holder(before));
      }
      Task next = TaskEvolver.evolve(before, e);
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
    updateNodeActive(h);
  }

  /** The node holding {@code t} (claimed or running), or null. */
  private static @Nullable String holder(@Nullable Task t) {
    return t != null && t.status().isActive() ? t.owner() : null;
  }

  private static final String RELEASE =
      """
      UPDATE node_active n
      SET task_ids = ARRAY(SELECT x FROM unnest(n.task_ids) x WHERE NOT x = ANY(r.ids))
      FROM (SELECT node, array_agg(task) AS ids
            FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS r(node, task)
            GROUP BY node) r
      WHERE n.node_id = r.node
      """;

  private static final String HOLD =
      """
      INSERT INTO node_active AS n (node_id, task_ids)
      SELECT node, array_agg(task)
      FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS a(node, task)
      GROUP BY node
      ON CONFLICT (node_id) DO UPDATE SET task_ids = n.task_ids || excluded.task_ids
      """;

  /**
   * Moves the tasks whose holder changed over the batch (net: a task claimed and completed within
   * the batch changes nothing) between the {@code node_active} rows of their nodes.
   */
  private void updateNodeActive(Handle h) {
    List<String> releasedNodes = new ArrayList<>();
    List<String> releasedTasks = new ArrayList<>();
    List<String> heldNodes = new ArrayList<>();
    List<String> heldTasks = new ArrayList<>();
    for (Map.Entry<String, Task> e : states.entrySet()) {
      String was = heldBefore.get(e.getKey());
      String now = holder(e.getValue());
      if (Objects.equals(was, now)) {
        continue;
      }
      if (was != null) {
        releasedNodes.add(was);
        releasedTasks.add(e.getKey());
      }
      if (now != null) {
        heldNodes.add(now);
        heldTasks.add(e.getKey());
      }
    }
    Connection c = h.getConnection();
    try {
      byNode(c, RELEASE, releasedNodes, releasedTasks);
      byNode(c, HOLD, heldNodes, heldTasks);
    } catch (SQLException e) {
      throw new ProjectionWriteException("node_active", e);
    }
  }

  private static void byNode(Connection c, String sql, List<String> nodes, List<String> tasks)
      throws SQLException {
    if (nodes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", nodes.toArray()));
      ps.setArray(2, c.createArrayOf("text", tasks.toArray()));
      ps.executeUpdate();
    }
  }

  private void loadCurrent(Handle h) {
    Set<String> ids = new HashSet<>();
    Set<String> seen = new HashSet<>();
    for (StoredEvent e : events) {
      String id = e.envelope().aggregateId();
      if (!seen.add(id) || states.containsKey(id)) {
        continue;
      }
      // A submission is the first event of its subject (appended expecting an empty subject), so
      // a task first seen submitting in this batch has no row to read.
      if (!(e.event() instanceof TaskEvent.TaskSubmitted)) {
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

  /**
   * Writes the batch's task rows in two statements whatever its size (per-value binding was the
   * largest CPU cost of projection in profiles): tasks submitted in this batch are new by
   * construction (a submission is the first event of its subject, and the checkpoint keeps a batch
   * from being applied twice), so they are loaded with COPY; the others are updated from arrays.
   */
  private void upsertTasks(Handle h) {
    CopyRows inserts = new CopyRows();
    List<Task> updates = new ArrayList<>(states.size());
    for (Task t : states.values()) {
      Long submitted = submittedSeq.get(t.taskId());
      if (submitted == null) {
        updates.add(t);
        continue;
      }
      inserts
          .text(t.taskId())
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
          .text(writeTask(t))
          .endRow();
    }
    Connection c = h.getConnection();
    try {
      inserts.copyInto(c, "tasks", COLUMNS);
      if (!updates.isEmpty()) {
        update(c, updates);
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("tasks", e);
    }
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
      doc[i] = writeTask(t);
    }
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
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
                + ": the read model"
                + " lacks a task that the stream has");
      }
    }
  }

  private static @Nullable String iso(@Nullable Instant i) {
    return i == null ? null : i.toString();
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
      if (!Objects.requireNonNull(states.get(id)).dependsOn().isEmpty()) {
        fresh.add(id);
      }
    }
    if (!fresh.isEmpty()) {
      dependencyWaiters.set(true);
    }
    String recount =
        """
        UPDATE tasks t SET deps_pending = (
            SELECT count(*) FROM unnest(t.depends_on) d
            WHERE NOT EXISTS (SELECT 1 FROM tasks x WHERE x.task_id = d AND x.status = 'completed'))
        """;
    String returning = " RETURNING t.task_id, t.deps_pending";
    Connection c = h.getConnection();
    try {
      if (!fresh.isEmpty()) {
        recount(c, recount + " WHERE t.task_id = ANY(CAST(? AS text[]))" + returning, fresh);
      }
      if (!completed.isEmpty() && dependencyWaiters.get()) {
        recount(
            c,
            recount
                + " WHERE t.status = 'queued' AND t.deps_pending > 0"
                + " AND t.depends_on && CAST(? AS text[])"
                + returning,
            completed);
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("tasks (deps_pending)", e);
    }
  }

  private void recount(Connection c, String sql, Collection<String> ids) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          depsPending.put(rs.getString(1), rs.getInt(2));
        }
      }
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

  private static @Nullable Timestamp ts(@Nullable Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
