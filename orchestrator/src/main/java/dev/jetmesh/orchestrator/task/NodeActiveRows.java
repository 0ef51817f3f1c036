package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.projection.ProjectionWriteException;
import dev.jetmesh.schema.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Keeps {@code node_active} (one row per node: the tasks it holds) in step with a batch. Only the
 * net change over the batch is written: a task claimed and completed within it moves nothing. Not
 * thread-safe; one per batch.
 */
final class NodeActiveRows {
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

  /** task id → the node that held it before this batch (null: none). */
  private final Map<String, @Nullable String> heldBefore = new HashMap<>();

  /** Notes who held a task before the batch; only its first state in the batch counts. */
  void before(String taskId, @Nullable Task state) {
    if (!heldBefore.containsKey(taskId)) {
      heldBefore.put(taskId, holder(state));
    }
  }

  /** Moves the tasks whose holder changed between their nodes' rows; {@code after} by task id. */
  void write(Handle h, Map<String, Task> after) {
    List<String> releasedNodes = new ArrayList<>();
    List<String> releasedTasks = new ArrayList<>();
    List<String> heldNodes = new ArrayList<>();
    List<String> heldTasks = new ArrayList<>();
    for (Map.Entry<String, Task> e : after.entrySet()) {
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

  /** The node holding {@code t} (claimed or running), or null. */
  private static @Nullable String holder(@Nullable Task t) {
    return t != null && t.status().isActive() ? t.owner() : null;
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
}
