package dev.jetmesh.bench.faults;

import dev.jetmesh.bench.faults.Audit.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plans of a fault row as the stream has them, checked independently of the orchestrator's
 * code: every decision a plan's reactor takes (starting it, dispatching a wave or a subtask,
 * recording a subtask's outcome, completing the plan) appears at most once, and every plan has
 * completed successfully. Stateless.
 */
final class PlanAudit {
  private PlanAudit() {}

  /** What went wrong for {@code plans} in {@code events}: empty when nothing did. */
  static List<String> problems(List<Event> events, Set<String> plans) {
    Map<String, Integer> decisions = new HashMap<>();
    Map<String, Boolean> completed = new HashMap<>();
    for (Event e : events) {
      String plan = e.aggregateId();
      if (!e.type().startsWith("plan.") || !plans.contains(plan)) {
        continue;
      }
      String key =
          switch (e.type()) {
            case "plan.wave_dispatched" -> "wave " + e.payload().path("wave").asInt();
            case "plan.subtask_dispatched",
                "plan.subtask_completed",
                "plan.subtask_failed",
                "plan.subtask_blocked" ->
                e.payload().path("subtask_id").asText();
            default -> "";
          };
      decisions.merge(plan + " " + e.type() + (key.isEmpty() ? "" : " " + key), 1, Integer::sum);
      if (e.type().equals("plan.completed")) {
        completed.put(plan, e.payload().path("success").asBoolean());
      }
    }
    List<String> out = new ArrayList<>();
    decisions.forEach(
        (decision, n) -> {
          if (n > 1) {
            out.add(decision + " " + n + " times");
          }
        });
    for (String plan : plans) {
      Boolean success = completed.get(plan);
      if (success == null) {
        out.add(plan + " not completed");
      } else if (!success) {
        out.add(plan + " completed without success");
      }
    }
    out.sort(null);
    return out;
  }
}
