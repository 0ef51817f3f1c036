package dev.jetmesh.orchestrator.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The claim-relevant part of the task read model, in memory: queued tasks in claim order (priority
 * descending, then arrival), those that prefer each node, those still waiting on dependencies, and
 * the tasks each node holds.
 *
 * <p>The active projector keeps it: loaded from Postgres when it takes the lead, then changed by
 * every committed batch before the watermark moves past it, so it always shows the read model as of
 * {@link #reflects()}; claims are then chosen without a database round trip. It is <em>live</em>
 * only while this process's projector is running; elsewhere (a standby replica, a halted projector)
 * claims fall back to the read model's indexes. Memory grows with the queued and held tasks (about
 * 200 bytes each), not with history. Thread-safe.
 */
public final class ClaimIndex {
  /** A queued task as claims see it. */
  record Entry(
      String taskId,
      int priority,
      long submittedSeq,
      List<String> excludeNodes,
      List<String> preferredNodes) {}

  static final Comparator<Entry> CLAIM_ORDER =
      Comparator.comparingInt((Entry e) -> -e.priority()).thenComparingLong(Entry::submittedSeq);

  private final ReentrantLock lock = new ReentrantLock();
  private final TreeSet<Entry> claimable = new TreeSet<>(CLAIM_ORDER);
  private final Map<String, TreeSet<Entry>> preferring = new HashMap<>();

  /** Every queued task, claimable or waiting, by id. */
  private final Map<String, Entry> queued = new HashMap<>();

  /** Queued tasks that wait on dependencies: id → dependencies not yet completed. */
  private final Map<String, Integer> waiting = new HashMap<>();

  private final Map<String, Set<String>> heldBy = new HashMap<>();
  private final Map<String, String> holderOf = new HashMap<>();
  private volatile boolean live;
  private final List<Consumer<Boolean>> liveListeners = new CopyOnWriteArrayList<>();
  private volatile long reflects;

  /** True while the index is kept by this process's running projector. */
  public boolean live() {
    return live;
  }

  /** The stream sequence the index reflects: the last batch applied to it. */
  public long reflects() {
    return reflects;
  }

  /**
   * Loads the index from the read model, which must be exactly at {@code checkpoint} (the projector
   * calls this when it takes the lead, and again if the index fell out of step, never while it
   * applies a batch), and makes it live. On failure it stays off and the error is thrown.
   */
  public void load(Database db, long checkpoint) {
    // Read first, without the lock, so that claimers wait for no database round trip.
    ClaimIndexRows.Loaded rows;
    try {
      rows = ClaimIndexRows.read(db);
    } catch (SQLException | RuntimeException e) {
      disable();
      throw e instanceof SQLException sql
          ? new TaskQueries.QueryFailedException("the claim index", sql)
          : (RuntimeException) e;
    }
    lock.lock();
    try {
      clear();
      rows.queued().forEach(q -> addQueued(q.entry(), q.pending()));
      rows.holders().forEach(this::hold);
      reflects = checkpoint;
      live = true;
    } finally {
      lock.unlock();
    }
    liveListeners.forEach(l -> l.accept(true));
  }

  /** Calls {@code listener} with true each time the index goes live, false when it stops. */
  public void onLive(Consumer<Boolean> listener) {
    liveListeners.add(listener);
  }

  /** Stops serving claims (the projector stopped or halted); they fall back to the read model. */
  public void disable() {
    lock.lock();
    try {
      live = false;
      clear();
    } finally {
      lock.unlock();
    }
    liveListeners.forEach(l -> l.accept(false));
  }

  /**
   * Applies a batch the projector has just committed, before the watermark moves past it.
   *
   * @param batch the batch's task writes
   * @param last the batch's last sequence
   */
  public void apply(TaskProjector batch, long last) {
    if (!live) {
      return;
    }
    Map<String, Task> states = batch.states();
    Map<String, Long> submittedSeq = batch.submittedSeq();
    Map<String, Integer> depsPending = batch.depsPending();
    lock.lock();
    try {
      for (Task t : states.values()) {
        String id = t.taskId();
        if (t.status() == TaskStatus.QUEUED && t.heldForPlan()) {
          removeQueued(id); // made a plan's parent while queued: never claimable again
        } else if (t.status() == TaskStatus.QUEUED) {
          // A task is queued only between its submission (or a requeue) and its next claim or
          // end, and nothing in between changes its priority or nodes: add it once.
          if (!queued.containsKey(id)) {
            Long seq = submittedSeq.get(id);
            // A requeued task was claimed, so its dependencies had all completed.
            Long requeued = seq == null ? batch.requeuedSeq().get(id) : null;
            if (seq == null && requeued == null) {
              // Queued, unknown here, neither submitted nor requeued in this batch: the index
              // missed something.
              throw new IllegalStateException("claim index does not know queued task " + id);
            }
            addQueued(
                new Entry(
                    id,
                    t.priority(),
                    seq != null ? seq : requireNonNull(requeued, "checked above"),
                    t.excludeNodes(),
                    t.preferredNodes()),
                requeued != null || t.dependsOn().isEmpty() ? 0 : depsPending.getOrDefault(id, 1));
          }
        } else {
          removeQueued(id);
        }
        String holder = t.status().isActive() ? t.owner() : null;
        String was = holderOf.get(id);
        if (was != null && !was.equals(holder)) {
          unhold(id, was);
        }
        if (holder != null && !holder.equals(was)) {
          hold(id, holder);
        }
      }
      for (Map.Entry<String, Integer> d : depsPending.entrySet()) {
        Integer before = waiting.get(d.getKey());
        Entry e = queued.get(d.getKey());
        if (e == null || before == null || d.getValue() > 0) {
          if (e != null && before != null) {
            waiting.put(d.getKey(), d.getValue());
          }
          continue;
        }
        waiting.remove(d.getKey());
        addClaimable(e);
      }
      reflects = last;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The tasks the read model shows {@code node} holding, or null when the index is not live (the
   * caller asks the read model). Live or not is decided under the lock, with the answer: an index
   * disabled and loaded again while a caller looks must not pass its emptied state for a live one.
   */
  public @Nullable List<String> heldIfLive(String node) {
    lock.lock();
    try {
      if (!live) {
        return null;
      }
      Set<String> h = heldBy.get(node);
      return h == null ? List.of() : List.copyOf(h);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The best claimable task for {@code node} that {@code skip} does not refuse: the first in claim
   * order of those that prefer it, else the first in claim order that does not exclude it. Null
   * when the index is not live, decided under the lock as in {@link #heldIfLive}.
   */
  @SuppressWarnings("NullableOptional") // three-valued on purpose: null means ask the read model
  public @Nullable Optional<String> nextIfLive(String node, Predicate<String> skip) {
    lock.lock();
    try {
      if (!live) {
        return null;
      }
      TreeSet<Entry> mine = preferring.get(node);
      if (mine != null) {
        for (Entry e : mine) {
          if (!skip.test(e.taskId()) && !e.excludeNodes().contains(node)) {
            return Optional.of(e.taskId());
          }
        }
      }
      for (Entry e : claimable) {
        if (!skip.test(e.taskId()) && !e.excludeNodes().contains(node)) {
          return Optional.of(e.taskId());
        }
      }
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** What the index holds, for tests: claimable ids in claim order, waiting ids, and holders. */
  record Snapshot(
      List<String> claimable, Map<String, Integer> waiting, Map<String, Set<String>> held) {}

  Snapshot snapshot() {
    lock.lock();
    try {
      List<String> ids = new ArrayList<>(claimable.size());
      claimable.forEach(e -> ids.add(e.taskId()));
      Map<String, Set<String>> held = new LinkedHashMap<>();
      heldBy.forEach((n, s) -> held.put(n, Set.copyOf(s)));
      return new Snapshot(ids, Map.copyOf(waiting), held);
    } finally {
      lock.unlock();
    }
  }

  private void addQueued(Entry e, int pending) {
    queued.put(e.taskId(), e);
    if (pending > 0) {
      waiting.put(e.taskId(), pending);
    } else {
      addClaimable(e);
    }
  }

  private void addClaimable(Entry e) {
    claimable.add(e);
    for (String n : e.preferredNodes()) {
      preferring.computeIfAbsent(n, k -> new TreeSet<>(CLAIM_ORDER)).add(e);
    }
  }

  private void removeQueued(String id) {
    Entry e = queued.remove(id);
    if (e == null) {
      return;
    }
    if (waiting.remove(id) == null) {
      claimable.remove(e);
      for (String n : e.preferredNodes()) {
        TreeSet<Entry> mine = preferring.get(n);
        if (mine != null && mine.remove(e) && mine.isEmpty()) {
          preferring.remove(n);
        }
      }
    }
  }

  private void hold(String task, String node) {
    holderOf.put(task, node);
    heldBy.computeIfAbsent(node, k -> new HashSet<>()).add(task);
  }

  private void unhold(String task, String node) {
    holderOf.remove(task);
    Set<String> h = heldBy.get(node);
    if (h != null && h.remove(task) && h.isEmpty()) {
      heldBy.remove(node);
    }
  }

  private void clear() {
    claimable.clear();
    preferring.clear();
    queued.clear();
    waiting.clear();
    heldBy.clear();
    holderOf.clear();
    reflects = 0;
  }
}
