package dev.jetmesh.orchestrator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.Plan;
import dev.jetmesh.schema.model.Subtask;
import dev.jetmesh.schema.model.SubtaskStatus;
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

  /**
   * One subtask in its wave; {@code taskId} is the mesh task running it, once dispatched; {@code
   * reason} why it was routed to its mode; {@code failureReason} why it failed or was blocked (the
   * summary of its result), null otherwise.
   */
  public record Node(
      String subtaskId,
      String title,
      String mode,
      String status,
      @Nullable String taskId,
      List<String> dependsOn,
      String reason,
      @Nullable String failureReason) {}

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
                  s.delegation().reason(),
                  failureReason(s)));
    }
    List<Wave> out = new ArrayList<>();
    byWave.forEach((w, nodes) -> out.add(new Wave(w, nodes)));
    return out;
  }

  /** Why a failed or blocked subtask ended so: its result's summary, else its whole result. */
  static @Nullable String failureReason(Subtask s) {
    if (s.status() != SubtaskStatus.FAILED && s.status() != SubtaskStatus.BLOCKED) {
      return null;
    }
    JsonNode r = s.result();
    if (r == null) {
      return s.status().wire();
    }
    JsonNode summary = r.path("summary");
    return summary.isTextual() && !summary.asText().isBlank() ? summary.asText() : r.toString();
  }
}
