package dev.jetmesh.orchestrator.task;

import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Task;
import java.util.ArrayList;
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
 * Applies a batch of task events to the {@code tasks}, {@code task_attempts} and {@code
 * node_active} tables inside the projector's transaction. It loads the touched rows once, folds the
 * events with {@link TaskEvolver#evolve} (the command side's own function) and writes each changed
 * row once ({@link TaskRows}, {@link AttemptRows}, {@link DependencyRecount}, {@link
 * NodeActiveRows}), so a batch costs a few statements whatever its size. Not thread-safe; one per
 * batch.
 */
public final class TaskProjector {
  private final Function<String, @Nullable Task> known;
  private final List<StoredEvent> events = new ArrayList<>();
  private final Map<String, Task> states = new LinkedHashMap<>();
  private final Map<String, Long> submittedSeq = new LinkedHashMap<>();
  private final AttemptRows attempts = new AttemptRows();
  private final NodeActiveRows nodeActive = new NodeActiveRows();
  private final DependencyRecount dependencies;

  /**
   * @param known tasks as last committed by this projector (or null when not known): the projector
   *     is the only writer of {@code tasks}, so these are current and need not be read back
   * @param dependencyWaiters false only while no queued task can be waiting on a dependency (then a
   *     completion needs no recount); raised here when a task with dependencies is submitted
   */
  public TaskProjector(Function<String, @Nullable Task> known, AtomicBoolean dependencyWaiters) {
    this.known = known;
    this.dependencies = new DependencyRecount(dependencyWaiters);
  }

  /** The states written by {@link #flush}; for the projector's cache once the batch committed. */
  public Map<String, Task> states() {
    return states;
  }

  /** Tasks submitted in this batch, with their submission's sequence. */
  Map<String, Long> submittedSeq() {
    return submittedSeq;
  }

  /** Tasks whose tags changed in this batch (made a plan's parent): rare, written apart. */
  private final Set<String> retagged = new HashSet<>();

  /** Tasks requeued in this batch (and submitted before it), with their submission's sequence. */
  private final Map<String, Long> requeuedSeq = new HashMap<>();

  /** Tasks requeued in this batch: their place in claim order is their submission's sequence. */
  Map<String, Long> requeuedSeq() {
    return requeuedSeq;
  }

  /** Dependencies still pending of every task this batch recounted. */
  Map<String, Integer> depsPending() {
    return dependencies.pending();
  }

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
      fold(e);
    }
    loadRequeuedSeq(h);
    TaskRows.write(h.getConnection(), states.values(), submittedSeq);
    retagged.removeAll(submittedSeq.keySet()); // inserted with their tags
    for (String id : retagged) {
      h.createUpdate("UPDATE tasks SET tags = :tags WHERE task_id = :id")
          .bindArray("tags", String.class, Objects.requireNonNull(states.get(id)).tags())
          .bind("id", id)
          .execute();
    }
    attempts.insert(h);
    dependencies.run(h, submittedSeq.keySet(), states);
    nodeActive.write(h, states);
  }

  private void fold(StoredEvent e) {
    String id = e.envelope().aggregateId();
    Task before = states.get(id);
    nodeActive.before(id, before);
    states.put(id, TaskEvolver.evolve(before, e));
    switch ((TaskEvent) e.event()) {
      case TaskEvent.TaskSubmitted s -> submittedSeq.put(id, e.seq());
      case TaskEvent.TaskCompleted c -> dependencies.completed(id);
      case TaskEvent.AttemptRecorded a -> attempts.add(id, e.seq(), a.attempt());
      case TaskEvent.TaskClaimed c -> {}
      case TaskEvent.TaskStarted s -> {}
      case TaskEvent.TaskFailed f -> {}
      case TaskEvent.TaskReleased r -> {}
      case TaskEvent.TaskCancelled c -> {}
      case TaskEvent.TaskBudgetExceeded b -> {}
      case TaskEvent.TaskStalled s -> {}
      case TaskEvent.TaskRequeued r -> requeuedSeq.put(id, null);
      case TaskEvent.TaskHeldForPlan h -> retagged.add(id);
    }
  }

  /**
   * Reads the submission sequence of the tasks requeued in this batch, which the claim index needs
   * to put them back in claim order (rare: only a node's removal requeues).
   */
  private void loadRequeuedSeq(Handle h) {
    requeuedSeq.keySet().removeIf(submittedSeq::containsKey);
    if (requeuedSeq.isEmpty()) {
      return;
    }
    h.createQuery("SELECT task_id, submitted_seq FROM tasks WHERE task_id = ANY(:ids)")
        .bindArray("ids", String.class, requeuedSeq.keySet())
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> requeuedSeq.put(e.getKey(), e.getValue()));
  }

  /** Puts the state before this batch of every task it touches into {@link #states}. */
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
              Task t = TaskDocs.read(doc);
              states.put(t.taskId(), t);
            });
  }
}
