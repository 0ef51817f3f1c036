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

  /** Parents (ids starting with {@code prefix}) that more than one plan was created for. */
  static List<String> parentsPlannedTwice(List<Event> events, String prefix) {
    Map<String, Integer> created = new HashMap<>();
    for (Event e : events) {
      String parent = e.payload().path("parent_task_id").asText();
      if (e.type().equals("plan.created") && parent.startsWith(prefix)) {
        created.merge(parent, 1, Integer::sum);
      }
    }
    List<String> out = new ArrayList<>();
    created.forEach(
        (parent, n) -> {
          if (n > 1) {
            out.add(n + " plans created for parent " + parent);
          }
        });
    out.sort(null);
    return out;
  }

  /**
   * How many of {@code plans} (each with the stream's last sequence when its kill came) have events
   * on both sides of that sequence: decided by the orchestrator that was killed and by the one that
   * took over.
   */
  static long decidedAcross(List<Event> events, Map<String, Long> plans) {
    Map<String, boolean[]> sides = new HashMap<>();
    for (Event e : events) {
      Long kill = plans.get(e.aggregateId());
      if (kill != null && e.type().startsWith("plan.")) {
        sides.computeIfAbsent(e.aggregateId(), k -> new boolean[2])[e.seq() <= kill ? 0 : 1] = true;
      }
    }
    return sides.values().stream().filter(s -> s[0] && s[1]).count();
  }
}
