package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.Subtask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A plan replayed from its events: the current state, the DAG by wave and the history. Served by
 * {@code GET /api/plans/<plan_id>} and printed by {@code jetmesh plan show}.
 */
public record PlanView(Plan plan, List<Wave> waves, List<HistoryEntry> history) {
  /** One wave of the DAG. */
  public record Wave(int wave, List<Node> subtasks) {}

  /** One subtask in its wave; {@code taskId} is the mesh task running it, once dispatched. */
  public record Node(
      String subtaskId,
      String title,
      String mode,
      String status,
      @Nullable String taskId,
      List<String> dependsOn,
      String reason) {}

  /** One event of the plan's history. */
  public record HistoryEntry(
      long seq, String type, Instant occurredAt, @Nullable String actor, JsonNode payload) {}

  static List<Wave> waves(Plan p) {
    TreeMap<Integer, List<Node>> byWave = new TreeMap<>();
    for (Subtask s : p.subtasks()) {
      byWave
          .computeIfAbsent(s.wave(), w -> new ArrayList<>())
          .add(
              new Node(
                  s.subtaskId(),
                  s.title(),
                  s.delegation().mode(),
                  s.status().wire(),
                  s.meshTaskId(),
                  s.dependsOn(),
                  s.delegation().reason()));
    }
    List<Wave> out = new ArrayList<>();
    byWave.forEach((w, nodes) -> out.add(new Wave(w, nodes)));
    return out;
  }
}
