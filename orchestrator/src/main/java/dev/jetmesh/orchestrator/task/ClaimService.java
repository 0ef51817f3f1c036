package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.task.TaskCommand.ClaimTask;
import dev.jetmesh.schema.model.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Chooses and claims the next task for a node.
 *
 * <p>Candidates come from the read model's partial indexes (priority, arrival, preferred and
 * excluded nodes, dependencies), never from a scan: a task that prefers the node first (a query
 * over the few tasks that prefer anyone), else the head of an in-memory buffer of the next {@value
 * #BUFFER} claimable tasks, refilled by one index range scan when it runs dry or is older than
 * {@value #BUFFER_MAX_AGE_MS} ms. The buffer keeps the selection lock free of database round trips;
 * its age bounds how long a newly submitted higher-priority task can wait behind buffered ones.
 *
 * <p>The read model lags the stream by milliseconds, so a claimed task stays <em>reserved</em> here
 * until the projector has passed its claim; selection and reservation are serialised by one lock,
 * so claimers in this process never race for a task. Between orchestrator processes the
 * expected-sequence append is the safety net: the loser is refused and moves on.
 *
 * <p>"One active task per node" is checked against the aggregates (authoritative) of every task the
 * read model or this process's recent claims say the node holds. Thread-safe.
 */
public final class ClaimService {
  static final int BUFFER = 64;
  static final long BUFFER_MAX_AGE_MS = 100;
  private static final int MAX_CANDIDATES = 16;
  private static final long IN_FLIGHT = Long.MAX_VALUE;

  private final TaskQueries queries;
  private final TaskCommandHandler handler;
  private final Watermark watermark;
  private final ReentrantLock selection = new ReentrantLock();
  private final ArrayDeque<TaskQueries.Candidate> buffer = new ArrayDeque<>();
  private long bufferedAt;
  private final ConcurrentHashMap<String, ReentrantLock> nodeLocks = new ConcurrentHashMap<>();

  /** task id → stream sequence below which the read model may still show it queued. */
  private final ConcurrentHashMap<String, Long> reserved = new ConcurrentHashMap<>();

  /** node id → task ids this process claimed for it, until they are seen inactive. */
  private final ConcurrentHashMap<String, Set<String>> recentClaims = new ConcurrentHashMap<>();

  public ClaimService(TaskQueries queries, TaskCommandHandler handler, Watermark watermark) {
    this.queries = queries;
    this.handler = handler;
    this.watermark = watermark;
  }

  /**
   * Claims the next task for {@code node}, or returns empty when none is claimable.
   *
   * @throws CommandRejectedException when the node already holds a task
   */
  public Optional<Task> claim(String node, String causationId) {
    ReentrantLock nodeLock = nodeLocks.computeIfAbsent(node, n -> new ReentrantLock());
    nodeLock.lock();
    try {
      String active = activeTaskOf(node);
      if (active != null) {
        throw new CommandRejectedException(
            "Node " + node + " already has an active task: " + active);
      }
      for (int i = 0; i < MAX_CANDIDATES; i++) {
        Optional<String> candidate = reserveNext(node);
        if (candidate.isEmpty()) {
          return Optional.empty();
        }
        String id = candidate.get();
        try {
          TaskCommandHandler.Outcome o =
              handler.handle(new ClaimTask(id, node), node, causationId, null);
          reserved.put(id, o.task().version());
          recentClaims.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(id);
          return Optional.of(o.task());
        } catch (CommandRejectedException e) {
          // Claimed elsewhere, or excluded on a second look: keep it reserved until the read
          // model catches up with whatever happened to it, and try the next one.
          Task now = handler.load(id);
          reserved.put(id, now == null ? watermark.current() : now.version());
        } catch (RuntimeException e) {
          reserved.remove(id);
          throw e;
        }
      }
      return Optional.empty();
    } finally {
      nodeLock.unlock();
    }
  }

  private Optional<String> reserveNext(String node) {
    // The preferred-for-node query (over the few tasks that prefer anyone) runs outside the lock;
    // the reservation below re-checks it.
    Optional<String> preferred = queries.nextPreferred(node, reserved.keySet());
    selection.lock();
    try {
      long projected = watermark.current();
      reserved.values().removeIf(seq -> seq != IN_FLIGHT && seq <= projected);
      if (preferred.isPresent() && reserve(preferred.get())) {
        return preferred;
      }
      Optional<String> next = fromBuffer(node);
      if (next.isEmpty()) {
        refill();
        next = fromBuffer(node);
      }
      if (next.isEmpty() && !buffer.isEmpty()) {
        // Every buffered task excludes this node: ask the index for one that does not.
        next = queries.nextClaimable(node, reserved.keySet()).filter(this::reserve);
      }
      return next;
    } finally {
      selection.unlock();
    }
  }

  /** Takes the first buffered candidate that this node may have. Caller holds the lock. */
  private Optional<String> fromBuffer(String node) {
    if (System.currentTimeMillis() - bufferedAt > BUFFER_MAX_AGE_MS) {
      buffer.clear();
    }
    for (Iterator<TaskQueries.Candidate> it = buffer.iterator(); it.hasNext(); ) {
      TaskQueries.Candidate c = it.next();
      if (reserved.containsKey(c.taskId())) {
        it.remove();
      } else if (!c.excludeNodes().contains(node)) {
        it.remove();
        reserve(c.taskId());
        return Optional.of(c.taskId());
      }
    }
    return Optional.empty();
  }

  private void refill() {
    buffer.clear();
    buffer.addAll(queries.claimable(BUFFER, reserved.keySet()));
    bufferedAt = System.currentTimeMillis();
  }

  private boolean reserve(String taskId) {
    return reserved.putIfAbsent(taskId, IN_FLIGHT) == null;
  }

  private String activeTaskOf(String node) {
    Set<String> ids = new HashSet<>(queries.activeTasksOf(node));
    Set<String> recent = recentClaims.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet());
    ids.addAll(recent);
    List<String> gone = new ArrayList<>();
    String active = null;
    for (String id : ids) {
      // A terminal state is final, so a cached one needs no confirmation against the stream.
      Task cached = handler.load(id);
      Task t = cached != null && cached.status().isTerminal() ? cached : handler.current(id);
      if (t != null && t.status().isActive() && node.equals(t.owner())) {
        active = id;
      } else {
        gone.add(id);
      }
    }
    recent.removeAll(gone);
    return active;
  }
}
