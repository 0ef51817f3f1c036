package dev.jetmesh.orchestrator.node;

import static dev.jetmesh.orchestrator.node.NodeProjector.instant;
import static dev.jetmesh.orchestrator.node.NodeProjector.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.model.Node;
import dev.jetmesh.schema.model.NodeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * SQL over the {@code nodes} read model: reads for the wire and the sweep, and the one write that
 * is not a projection, a health beat. Thread-safe.
 */
public final class NodeQueries {
  /** What a beat found: the node's projected status and last sequence. */
  public record Beat(NodeStatus status, long lastSeq) {}

  /** The liveness kept beside a node's events. */
  public record Liveness(
      @Nullable Instant lastSeen, @Nullable String currentTask, @Nullable JsonNode health) {}

  /** A joined node silent since {@code lastSeen}, as projected at {@code lastSeq}. */
  public record Silent(String nodeId, Instant lastSeen, long lastSeq) {}

  static final String VIEW =
      NodeProjector.COLUMNS + ", last_seen, current_task, health::text AS health";

  private final Jdbi jdbi;

  public NodeQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /**
   * Records a health beat in place (no event). Beats of a node the read model does not know, or
   * knows as removed, are not recorded.
   *
   * @return the node's status and last sequence, or empty when the beat was not recorded
   */
  public Optional<Beat> beat(
      String nodeId, Instant at, @Nullable String currentTask, String healthJson) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    UPDATE nodes SET last_seen = greatest(last_seen, :at),
                        current_task = :task, health = CAST(:health AS jsonb)
                    WHERE node_id = :id AND status <> 'removed'
                    RETURNING status, last_seq
                    """)
                .bind("id", nodeId)
                .bind("at", Timestamp.from(at))
                .bind("task", currentTask)
                .bind("health", healthJson)
                .map((rs, ctx) -> new Beat(NodeStatus.fromWire(rs.getString(1)), rs.getLong(2)))
                .findOne());
  }

  /** The liveness of a node, or empty when the read model has no row for it yet. */
  public Optional<Liveness> liveness(String nodeId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT last_seen, current_task, health::text FROM nodes WHERE node_id = :id")
                .bind("id", nodeId)
                .map(
                    (rs, ctx) ->
                        new Liveness(
                            instant(rs.getTimestamp(1)), rs.getString(2), json(rs.getString(3))))
                .findOne());
  }

  /** Nodes by id, optionally of one status, as the wire shows them. */
  public List<Node> list(@Nullable NodeStatus status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + VIEW
                        + " FROM nodes WHERE (CAST(:status AS text) IS NULL OR status = :status)"
                        + " ORDER BY node_id LIMIT :limit")
                .bind("status", status == null ? null : status.wire())
                .bind("limit", limit)
                .map((rs, ctx) -> view(rs))
                .list());
  }

  /** Joined nodes whose last sign of life is older than {@code cutoff}. */
  public List<Silent> silentSince(Instant cutoff, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT node_id, last_seen, last_seq FROM nodes
                    WHERE status = 'joined' AND last_seen < :cutoff
                    ORDER BY last_seen LIMIT :limit
                    """)
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Silent(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getLong(3)))
                .list());
  }

  /** The ids of every node in {@code status}. */
  public List<String> withStatus(NodeStatus status) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT node_id FROM nodes WHERE status = :status")
                .bind("status", status.wire())
                .mapTo(String.class)
                .list());
  }

  /**
   * Whether the read models show {@code nodeId} has held a task (a row in {@code node_active}, kept
   * once written) or sat in a collaboration session: a worker known by its work although it never
   * joined (the reference's workers never do).
   */
  public boolean hasWorked(String nodeId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT EXISTS (SELECT 1 FROM node_active WHERE node_id = :id)
                        OR EXISTS (SELECT 1 FROM collab_members WHERE node_id = :id)
                    """)
                .bind("id", nodeId)
                .mapTo(Boolean.class)
                .one());
  }

  /**
   * Removed nodes the task read model still shows holding a task: a claim that raced the removal,
   * or a crash between the removal and the requeue.
   */
  public List<String> removedHoldingTasks() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT n.node_id FROM nodes n JOIN node_active a ON a.node_id = n.node_id
                    WHERE n.status = 'removed' AND cardinality(a.task_ids) > 0
                    """)
                .mapTo(String.class)
                .list());
  }

  static Node view(ResultSet rs) throws SQLException {
    return NodeProjector.read(rs)
        .view(
            instant(rs.getTimestamp("last_seen")),
            rs.getString("current_task"),
            json(rs.getString("health")));
  }
}
