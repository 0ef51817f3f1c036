package dev.jetmesh.orchestrator.task;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link ClaimIndex} loads from the read model when it goes live: the queued tasks, with
 * how many of their dependencies are still pending, and which node holds which task. Read apart
 * from the index, so that the index takes its lock only to swap the contents in.
 */
final class ClaimIndexRows {
  /** A queued task, and how many of its dependencies have not completed yet. */
  record Queued(ClaimIndex.Entry entry, int pending) {}

  /** Every queued task (plan parents aside) and every held task's node. */
  record Loaded(List<Queued> queued, Map<String, String> holders) {}

  private ClaimIndexRows() {}

  static Loaded read(Database db) throws SQLException {
    List<Queued> queued = new ArrayList<>();
    Map<String, String> holders = new HashMap<>();
    try (Connection c = db.rawConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              """
                  SELECT task_id, priority, submitted_seq, deps_pending, exclude_nodes,
                         preferred_nodes
                  FROM tasks WHERE status = 'queued' AND NOT tags @> ARRAY[CAST(? AS text)]
                  """)) {
        ps.setString(1, Task.PLAN_PARENT_TAG);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ClaimIndex.Entry e =
                new ClaimIndex.Entry(
                    rs.getString(1),
                    rs.getInt(2),
                    rs.getLong(3),
                    texts(rs.getArray(5)),
                    texts(rs.getArray(6)));
            queued.add(new Queued(e, rs.getInt(4)));
          }
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT node_id, task_ids FROM node_active WHERE cardinality(task_ids) > 0");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (String task : texts(rs.getArray(2))) {
            holders.put(task, rs.getString(1));
          }
        }
      }
    }
    return new Loaded(queued, holders);
  }

  private static List<String> texts(java.sql.Array a) throws SQLException {
    return a == null ? List.of() : List.of((String[]) a.getArray());
  }
}
