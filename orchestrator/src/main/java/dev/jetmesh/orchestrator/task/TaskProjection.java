package dev.jetmesh.orchestrator.task;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.Checkpoints;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.projection.TableSpec;
import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task share of the main projection ({@code tasks}, {@code task_attempts}, {@code node_active},
 * written by a {@link TaskProjector} per batch) and what the leading projector keeps of it in
 * memory: the tasks as last committed (it is their only writer, so they need not be read back) and
 * the {@link ClaimIndex}. Hooks run on the projector's thread; {@link #committed} and the index may
 * be read from any.
 */
final class TaskProjection implements Projection {
  private static final Logger LOG = LoggerFactory.getLogger(TaskProjection.class);

  /**
   * What {@link TaskProjector} writes. Every timestamp in them comes from an event, none from the
   * clock at write time, so no column is left out of a rebuild's comparison ({@code task_liveness},
   * whose {@code last_activity} is the time of a heartbeat, is not a projection and is not
   * rebuilt).
   *
   * <p>A rebuild applies the events in other batches than the live projector did, and two things
   * written here depend on the batching without differing in meaning, so they are compared as what
   * they mean:
   *
   * <ul>
   *   <li>{@code tasks.deps_pending} is recounted at the end of a batch, and only for queued tasks:
   *       a task cancelled while it waited keeps the count it had when it left the queue if its
   *       dependency completed in a later batch, but is counted after the completion if both fell
   *       into one. The count means something only while the task is queued (every reader filters
   *       on {@code status = 'queued'}), so it is compared only then.
   *   <li>{@code node_active} holds each node's set of held tasks, updated in place: a claim and
   *       its completion in one batch never touch the node's row, in two they leave an empty array
   *       behind, and an array is in the order the holds were applied. Empty rows are left out and
   *       arrays compared sorted.
   * </ul>
   *
   * <p>The indexes a rebuild defers are read only outside {@link TaskProjector}: the list orders
   * and the lists by owner and by tag by the read API, the budget deadline by the timers, the
   * collaboration ones by the collab sweep (only while leading) and the task filter, attempts by
   * task by the read API; the projector finds rows by primary key. Kept: {@code tasks_waiting_on},
   * which {@link DependencyRecount} reads at every completion (a scan of the table per batch
   * without it), and the two claimable indexes, which claims on a standby read per buffer refill,
   * several times a second, during a rebuild too, while they cost the rebuild about one entry per
   * task (they hold queued tasks).
   */
  static final List<TableSpec> TABLES =
      List.of(
          TableSpec.of("tasks", "task_id")
              .rendering("deps_pending", "CASE WHEN status = 'queued' THEN deps_pending END")
              .deferringIndexes(
                  "tasks_list_order",
                  "tasks_newest_first",
                  "tasks_updated_first",
                  "tasks_budget_deadline",
                  "tasks_collab_session",
                  "tasks_collab_waiting",
                  "tasks_by_owner",
                  "tasks_by_tag"),
          TableSpec.of("task_attempts", "seq").deferringIndexes("task_attempts_task"),
          TableSpec.of("node_active", "node_id")
              .rendering("task_ids", "ARRAY(SELECT id FROM unnest(task_ids) AS u(id) ORDER BY id)")
              .onlyRows("cardinality(task_ids) > 0"));

  private final Database db;
  private final ClaimIndex claimIndex;
  private final Cache<String, Task> committed = Caffeine.newBuilder().maximumSize(200_000).build();

  /**
   * Whether a queued task may be waiting on dependencies: read when this projector takes the lead,
   * raised for good when a task with dependencies is submitted. While it is down, completions need
   * no dependency recount (there is nothing to recount).
   */
  private final AtomicBoolean dependencyWaiters = new AtomicBoolean(true);

  private boolean reloadIndex;

  TaskProjection(Database db, ClaimIndex claimIndex) {
    this.db = db;
    this.claimIndex = claimIndex;
  }

  /** A task as this projector last committed it, or null when it is not held in memory. */
  @Nullable Task committed(String taskId) {
    return committed.getIfPresent(taskId);
  }

  @Override
  public Class<? extends MeshEvent> events() {
    return TaskEvent.class;
  }

  @Override
  public List<TableSpec> tables() {
    return TABLES;
  }

  @Override
  public Writer begin() {
    if (reloadIndex) {
      reloadIndex();
    }
    TaskProjector batch = new TaskProjector(committed::getIfPresent, dependencyWaiters);
    return new Writer() {
      @Override
      public void add(StoredEvent e) {
        batch.add(e);
      }

      @Override
      public void flush(Handle h) {
        batch.flush(h);
      }

      @Override
      public void committed(long last) {
        committed.putAll(batch.states());
        try {
          claimIndex.apply(batch, last);
        } catch (RuntimeException e) {
          // The index disagrees with the batch: claims use the read model until it is reloaded.
          LOG.warn("claim index out of step, reloading it: {}", e.toString());
          claimIndex.disable();
          reloadIndex = true;
        }
      }
    };
  }

  @Override
  public void lead(long checkpoint) {
    dependencyWaiters.set(anyTaskWaitsOnDependencies());
    claimIndex.load(db, checkpoint);
  }

  @Override
  public void distrust() {
    committed.invalidateAll();
    claimIndex.disable();
    reloadIndex = true;
  }

  @Override
  public void stop() {
    claimIndex.disable();
  }

  /**
   * Reloads the claim index from the read model (at the checkpoint: nothing else writes it). On
   * failure, claims keep using the read model and the next batch tries again; a failure here never
   * counts against the batch.
   */
  private void reloadIndex() {
    try {
      claimIndex.load(db, Checkpoints.main(db));
      reloadIndex = false;
    } catch (RuntimeException e) {
      LOG.warn("claim index not reloaded, claims use the read model meanwhile: {}", e.toString());
    }
  }

  private boolean anyTaskWaitsOnDependencies() {
    try (Connection c = db.rawConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM tasks WHERE status = 'queued' AND deps_pending > 0)");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw new TaskQueries.QueryFailedException("tasks waiting on dependencies", e);
    }
  }
}
