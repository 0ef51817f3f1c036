package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Attempt;
import dev.jetmesh.schema.model.Task;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

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

  private void upsertTasks(Handle h) {
    PreparedBatch b =
        h.prepareBatch(
            """
            INSERT INTO tasks (task_id, title, status, priority, budget_minutes, owner, claim_token,
                llm_provider, llm_model, collab_session_id, tags, depends_on, preferred_nodes,
                exclude_nodes, created_at, claimed_at, started_at, completed_at, budget_deadline,
                result, deps_pending, submitted_seq, last_seq, doc)
            VALUES (:task_id, :title, :status, :priority, :budget_minutes, :owner, :claim_token,
                :llm_provider, :llm_model, :collab_session_id, :tags, :depends_on, :preferred_nodes,
                :exclude_nodes, :created_at, :claimed_at, :started_at, :completed_at,
                :budget_deadline, CAST(:result AS jsonb), cardinality(:depends_on), :submitted_seq,
                :last_seq, CAST(:doc AS jsonb))
            ON CONFLICT (task_id) DO UPDATE SET status = excluded.status,
                owner = excluded.owner, claim_token = excluded.claim_token,
                collab_session_id = excluded.collab_session_id, claimed_at = excluded.claimed_at,
                started_at = excluded.started_at, completed_at = excluded.completed_at,
                budget_deadline = excluded.budget_deadline, result = excluded.result,
                last_seq = excluded.last_seq, doc = excluded.doc
            """);
    for (Task t : states.values()) {
      b.bind("task_id", t.taskId())
          .bind("title", t.title())
          .bind("status", t.status().wire())
          .bind("priority", t.priority())
          .bind("budget_minutes", t.budgetMinutes())
          .bind("owner", t.owner())
          .bind("claim_token", t.claimToken())
          .bind("llm_provider", t.llmProvider())
          .bind("llm_model", t.llmModel())
          .bind("collab_session_id", t.collabSessionId())
          .bindArray("tags", String.class, t.tags())
          .bindArray("depends_on", String.class, t.dependsOn())
          .bindArray("preferred_nodes", String.class, t.preferredNodes())
          .bindArray("exclude_nodes", String.class, t.excludeNodes())
          .bind("created_at", ts(t.createdAt()))
          .bind("claimed_at", ts(t.claimedAt()))
          .bind("started_at", ts(t.startedAt()))
          .bind("completed_at", ts(t.completedAt()))
          .bind("budget_deadline", ts(t.budgetDeadline()))
          .bind("result", t.result() == null ? null : t.result().toString())
          .bind("submitted_seq", submittedSeq.getOrDefault(t.taskId(), t.version()))
          .bind("last_seq", t.version())
          .bind("doc", writeTask(t))
          .add();
    }
    b.execute();
  }

  private void insertAttempts(Handle h) {
    if (attempts.isEmpty()) {
      return;
    }
    PreparedBatch b =
        h.prepareBatch(
            """
            INSERT INTO task_attempts (seq, task_id, attempt, node_id, provider, model, approach,
                result, keep, exit_code, metric_passed, duration_ms, cost_usd, tokens, output,
                recorded_at)
            VALUES (:seq, :task_id, :attempt, :node_id, :provider, :model, :approach, :result,
                :keep, :exit_code, :metric_passed, :duration_ms, :cost_usd, CAST(:tokens AS jsonb),
                CAST(:output AS jsonb), :recorded_at)
            ON CONFLICT (seq) DO NOTHING
            """);
    String[] names = {
      "seq",
      "task_id",
      "attempt",
      "node_id",
      "provider",
      "model",
      "approach",
      "result",
      "keep",
      "exit_code",
      "metric_passed",
      "duration_ms",
      "cost_usd",
      "tokens",
      "output",
      "recorded_at"
    };
    for (Object[] row : attempts) {
      for (int i = 0; i < names.length; i++) {
        b.bind(names[i], row[i]);
      }
      b.add();
    }
    b.execute();
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
