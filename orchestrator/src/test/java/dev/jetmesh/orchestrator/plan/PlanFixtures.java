package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers for plan tests (and others that need a plan): a simulated worker and builders. */
public final class PlanFixtures {
  private static final AtomicInteger NODES = new AtomicInteger();

  private PlanFixtures() {}

  /** A subtask that routes to solo_mesh (it has a metric). */
  public static Map<String, Object> solo(String id, String title, String... deps) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("subtask_id", id);
    s.put("title", title);
    s.put("metric", "true");
    s.put("depends_on", List.of(deps));
    s.put("delegation", Map.of("mode", "auto"));
    return s;
  }

  /** A parent task that no worker can claim (it depends on a task that never exists). */
  public static void parent(MeshClient c, String id) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("title", "Parent " + id);
    body.put("depends_on", List.of("never-" + id));
    body.put("llm_provider", "claude");
    body.put("llm_model", "claude-sonnet-4");
    body.put("preferred_nodes", List.of("node-a"));
    body.put("exclude_nodes", List.of("node-z"));
    c.task("submit", body);
  }

  public static JsonNode create(MeshClient c, String parent, boolean approval, List<?> subtasks) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parent_task_id", parent);
    body.put("title", "Plan for " + parent);
    body.put("requires_approval", approval);
    body.put("subtasks", subtasks);
    return c.ok("mesh.plans.create", body);
  }

  /**
   * A simulated worker: claims every claimable task once (each with a fresh node id), starts it and
   * completes it, or fails it when its id is in {@code fail}. Returns the ids it handled.
   */
  public static List<String> work(MeshClient c, Set<String> fail) {
    List<String> done = new ArrayList<>();
    while (true) {
      String node = "sim-" + NODES.incrementAndGet();
      JsonNode t = c.task("claim", Map.of("node_id", node));
      if (t == null || t.isNull()) {
        return done;
      }
      String id = t.path("task_id").asText();
      Map<String, Object> ref = new LinkedHashMap<>();
      ref.put("task_id", id);
      ref.put("node_id", node);
      ref.put("claim_token", t.path("claim_token").asLong());
      c.task("start", ref);
      if (fail.contains(id)) {
        ref.put("reason", "metric failed: " + id);
        c.task("fail", ref);
      } else {
        ref.put("result", Map.of("success", true, "summary", "done " + id));
        c.task("complete", ref);
      }
      done.add(id);
    }
  }

  public static String status(MeshClient c, String planId) {
    return c.ok("mesh.plans.get", Map.of("plan_id", planId)).path("status").asText();
  }

  static JsonNode subtask(MeshClient c, String planId, String subtaskId) {
    for (JsonNode s : c.ok("mesh.plans.get", Map.of("plan_id", planId)).path("subtasks")) {
      if (s.path("subtask_id").asText().equals(subtaskId)) {
        return s;
      }
    }
    throw new AssertionError("no subtask " + subtaskId);
  }

  /** Rows of {@code sql} (one string parameter) as lists of strings. */
  static List<List<String>> rows(Connection db, String sql, String param) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            row.add(rs.getString(i));
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}
