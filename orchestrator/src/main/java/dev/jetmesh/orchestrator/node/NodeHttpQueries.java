package dev.jetmesh.orchestrator.node;

import dev.jetmesh.orchestrator.api.Cursor;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.db.Where;
import dev.jetmesh.schema.model.Node;
import dev.jetmesh.schema.model.NodeStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The read API's SQL over nodes: pages by node id (keyset), and the work each node holds ({@code
 * node_active}, kept by the task projection, with each task's title and status). Thread-safe.
 */
final class NodeHttpQueries {
  static final String KIND = "nodes";

  private final Jdbi jdbi;

  NodeHttpQueries(Database db) {
    this.jdbi = db.jdbi();
  }

  /** A task a node holds (claimed or running). */
  record Work(String taskId, String title, String status) {}

  Page<Node> nodes(@Nullable NodeStatus status, Cursor.@Nullable Position after, int limit) {
    Where w =
        new Where()
            .and("status = :status", "status", status == null ? null : status.wire())
            .and("node_id > :after", "after", after == null ? null : after.text(0))
            .bind("n", limit + 1);
    return Page.of(
        w.list(
            jdbi,
            "SELECT " + NodeQueries.VIEW + " FROM nodes" + w.sql() + " ORDER BY node_id LIMIT :n",
            (rs, ctx) -> {
              Node n = NodeQueries.view(rs);
              return new Page.Keyed<>(n, Cursor.encode(KIND, n.nodeId()));
            }),
        limit);
  }

  /** The tasks each of {@code nodeIds} holds, in claim order of the read model; none: absent. */
  Map<String, List<Work>> work(Collection<String> nodeIds) {
    Map<String, List<Work>> out = new HashMap<>();
    if (nodeIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    """
                    SELECT a.node_id, t.task_id, t.title, t.status
                    FROM node_active a
                    CROSS JOIN LATERAL unnest(a.task_ids) AS held(task_id)
                    JOIN tasks t ON t.task_id = held.task_id
                    WHERE a.node_id = ANY(:ids)
                    ORDER BY a.node_id, t.claimed_at, t.task_id
                    """)
                .bindArray("ids", String.class, nodeIds)
                .map(
                    (rs, ctx) ->
                        Map.entry(
                            rs.getString(1),
                            new Work(rs.getString(2), rs.getString(3), rs.getString(4))))
                .forEach(
                    e ->
                        out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue())));
    return out;
  }
}
