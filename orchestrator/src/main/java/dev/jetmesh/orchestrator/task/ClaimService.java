package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.task.TaskCommand.ClaimTask;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.model.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and claims the next task for a node.
 *
 * <p>Candidates come, while this process's projector keeps it (it is the active one), from the
 * {@link ClaimIndex}: the read model's queued and held tasks in memory, so a claim makes no
 * database round trip. Elsewhere (a standby replica, a halted projector) they come from the read
 * model's partial indexes (priority, arrival, preferred and excluded nodes, dependencies), never
 * from a scan: a task that prefers the node first (a query over the few tasks that prefer anyone),
 * else the head of the {@link ClaimBuffer}, which spares most claims a database round trip under
 * the selection lock.
 *
 * <p>The read model (and the index with it) lags the stream by milliseconds, so a claimed task
 * stays <em>reserved</em> here until the index reflects its claim, or, from the read model, until
 * the projector has passed its claim and a buffer read after that replaces the one in use (a buffer
 * read earlier may still list it as queued); selection and reservation are serialised by one lock,
 * so claimers in this process never race for a task. Between orchestrator processes the
 * expected-sequence append is the safety net: the loser is refused and moves on.
 *
 * <p>"One active task per node" is checked against the aggregates (authoritative) of every task the
 * claim index (or the read model) or this process's recent claims say the node holds. Other
 * aggregates have a say through a {@link TaskPort.ClaimGuard}: a task the guard refuses for the
 * node (a collaboration task whose session the node could not join) is passed over by this claim
 * only, and stays free for any other node meanwhile. Thread-safe.
 */
public final class ClaimService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);
  private static final int MAX_CANDIDATES = 16;

  /** Tasks a guard refuses are not candidates (each is a running session's), up to this many. */
  private static final int MAX_PASSED_OVER = 256;

  private final Function<String, @Nullable String> nodeRefusal;
  private final TaskPort.ClaimGuard guard;
  private final TaskQueries queries;
  private final ClaimIndex index;
  private final TaskCommandHandler handler;
  private final Watermark watermark;
  private final ClaimCatchUp catchUp;
  private final ReentrantLock selection = new ReentrantLock();
  private final ConcurrentHashMap<String, ReentrantLock> nodeLocks = new ConcurrentHashMap<>();

  private final Reservations reserved = new Reservations();
  private final ClaimBuffer buffer;

  /** node id → task ids this process claimed for it, until they are seen inactive. */
  private final ConcurrentHashMap<String, Set<String>> recentClaims = new ConcurrentHashMap<>();

  /**
   * @param nodeRefusal why a node may not claim (removed, or never joined a mesh that needs a join
   *     token), or null when it may
   * @param guard why a node may not claim a given task now, or null when it may
   */
  public ClaimService(
      TaskQueries queries,
      ClaimIndex index,
      TaskCommandHandler handler,
      Watermark watermark,
      Function<String, @Nullable String> nodeRefusal,
      TaskPort.ClaimGuard guard,
      LongSupplier streamTail) {
    this.nodeRefusal = nodeRefusal;
    this.guard = guard;
    this.queries = queries;
    this.index = index;
    this.handler = handler;
    this.watermark = watermark;
    this.catchUp = new ClaimCatchUp(index, watermark, streamTail);
    this.buffer = new ClaimBuffer(queries, reserved, watermark, selection);
  }

  /** Whether claims here come from the in-memory index (this process projects). */
  public boolean indexLive() {
    return index.live();
  }

  /**
   * Claims the next task for {@code node}, or returns empty when none is claimable.
   *
   * @throws CommandRejectedException when the node already holds a task ({@code ALREADY_ACTIVE}),
   *     or may not claim ({@code UNAUTHORIZED}: removed, or not joined where joins need a token)
   */
  public Optional<Task> claim(String node, String causationId) {
    String refusal = nodeRefusal.apply(node);
    if (refusal != null) {
      throw new CommandRejectedException(ErrorCode.UNAUTHORIZED, refusal);
    }
    if (index.live()) {
      catchUp.await();
    }
    ReentrantLock nodeLock = nodeLocks.computeIfAbsent(node, n -> new ReentrantLock());
    Set<String> passedOver = new HashSet<>();
    nodeLock.lock();
    try {
      // From the in-memory index when this process keeps it; else one round trip to the read
      // model for the node's held tasks and its best preferred task.
      List<String> held = index.heldIfLive(node);
      TaskQueries.ClaimContext context =
          held != null
              ? new TaskQueries.ClaimContext(held, null)
              : queries.claimContext(node, reserved.ids());
      String active = activeTaskOf(node, context.held());
      if (active != null) {
        throw new CommandRejectedException(
            ErrorCode.ALREADY_ACTIVE, "Node " + node + " already has an active task: " + active);
      }
      int tried = 0;
      while (tried < MAX_CANDIDATES && passedOver.size() < MAX_PASSED_OVER) {
        Optional<String> candidate =
            reserveNext(
                node, tried == 0 && passedOver.isEmpty() ? context.preferred() : null, passedOver);
        if (candidate.isEmpty()) {
          return Optional.empty();
        }
        String id = candidate.get();
        try {
          if (refused(id, node)) {
            // Free at once for any other node (this claim alone skips it), and asked about again
            // at this node's next claim.
            reserved.release(id);
            passedOver.add(id);
            continue;
          }
          tried++;
          TaskCommandHandler.Outcome o =
              handler.handle(new ClaimTask(id, node), node, causationId, null);
          reserved.holdUntil(id, o.task().version());
          recentClaims.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(id);
          return Optional.of(o.task());
        } catch (CommandRejectedException e) {
          // Claimed elsewhere, or excluded on a second look: keep it reserved until the read
          // model catches up with whatever happened to it, and try the next one.
          Task now = handler.load(id);
          reserved.holdUntil(id, now == null ? watermark.current() : now.version());
        } catch (RuntimeException e) {
          reserved.release(id);
          throw e;
        }
      }
      return Optional.empty();
    } finally {
      nodeLock.unlock();
    }
  }

  /** Whether the guard refuses candidate {@code id} to {@code node}. */
  private boolean refused(String id, String node) {
    Task t = handler.load(id);
    String refusal = t == null ? null : guard.refusal(t, node);
    if (refusal != null) {
      LOG.debug("claim by {} passes over task {}: {}", node, id, refusal);
    }
    return refusal != null;
  }

  /**
   * Chooses and reserves the next candidate for {@code node}: from the index while it is live, else
   * from the read model.
   *
   * @param preferred the best task preferring the node, when it came with the claim's context; null
   *     to ask the read model again
   * @param skip tasks this claim passed over
   */
  @SuppressWarnings("NullableOptional") // three-valued on purpose: null means look it up here
  private Optional<String> reserveNext(
      String node, @Nullable Optional<String> preferred, Set<String> skip) {
    if (index.live()) {
      selection.lock();
      try {
        reserved.purge(index.reflects());
        Optional<String> next =
            index.nextIfLive(node, id -> reserved.contains(id) || skip.contains(id));
        if (next != null) {
          next.ifPresent(this::reserve);
          return next;
        }
      } finally {
        selection.unlock();
      }
      // The projector stopped while we looked: use the read model.
    }
    return reserveFromReadModel(
        node, preferred != null ? preferred : queries.nextPreferred(node, excluded(skip)), skip);
  }

  /** The tasks a read-model query leaves out for this claim: reserved, or passed over. */
  private Set<String> excluded(Set<String> skip) {
    if (skip.isEmpty()) {
      return reserved.ids();
    }
    Set<String> all = new HashSet<>(reserved.ids());
    all.addAll(skip);
    return all;
  }

  /**
   * @param preferred the best task preferring {@code node}, queried outside the lock (over the few
   *     tasks that prefer anyone); the reservation below re-checks it
   */
  private Optional<String> reserveFromReadModel(
      String node, Optional<String> preferred, Set<String> skip) {
    selection.lock();
    try {
      // Reservations that the read model, and the buffer with it, no longer need: a claim is known
      // to the buffer only if its query started after the claim was projected.
      reserved.purge(Math.min(watermark.current(), buffer.reflects()));
      if (preferred.isPresent() && reserve(preferred.get())) {
        return preferred;
      }
      Optional<String> next = buffer.take(node, skip);
      if (next.isEmpty() && !buffer.isEmpty()) {
        // Every buffered task is in flight, excludes this node or was passed over: ask the read
        // model for another.
        next = queries.nextClaimable(node, excluded(skip)).filter(this::reserve);
      }
      return next;
    } finally {
      selection.unlock();
    }
  }

  private boolean reserve(String taskId) {
    return reserved.tryReserve(taskId);
  }

  private @Nullable String activeTaskOf(String node, List<String> held) {
    Set<String> ids = new HashSet<>(held);
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
