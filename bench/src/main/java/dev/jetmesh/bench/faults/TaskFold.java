package dev.jetmesh.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.bench.faults.Audit.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each task's history as the stream has it, folded independently of the orchestrator's code: its
 * status, where each event type sits, and every step a single decider would never take (a second
 * submit, a claim of a held task, a start of a task not claimed, a node's completion of a task it
 * does not hold, a settlement (a plan's or a session's completion, with no node) of a task that has
 * ended, a second completion): a decision taken twice, or against the rules. Immutable once built.
 */
final class TaskFold {
  private static final Set<String> HELD = Set.of("claimed", "running");
  private static final Set<String> ENDED = Set.of("completed", "failed", "released", "cancelled");

  private final Map<String, String> status = new HashMap<>();

  /** {@code task|type} → sequences of that event type, in order. */
  private final Map<String, List<Long>> seqs = new HashMap<>();

  /** {@code task.started} sequence → the claim it followed. */
  private final Map<Long, Long> startClaim = new HashMap<>();

  private final List<String> violations = new ArrayList<>();

  /** A node given a second task while it held one (the one-active-task rule, ALREADY_ACTIVE). */
  private final List<String> doubleHolds = new ArrayList<>();

  private TaskFold() {}

  static TaskFold of(List<Event> events) {
    TaskFold f = new TaskFold();
    Map<String, Long> claim = new HashMap<>();
    Map<String, String> holds = new HashMap<>(); // node → the task it holds
    Map<String, String> owner = new HashMap<>(); // task → the node holding it
    for (Event e : events) {
      if (!e.type().startsWith("task.")) {
        continue;
      }
      String t = e.aggregateId();
      String before = f.status.get(t);
      f.seqs.computeIfAbsent(t + "|" + e.type(), k -> new ArrayList<>()).add(e.seq());
      String after =
          switch (e.type()) {
            case "task.submitted" -> {
              if (before != null) {
                f.violations.add(t + " submitted twice (seq " + e.seq() + ")");
              }
              yield "queued";
            }
            case "task.claimed" -> {
              if (!"queued".equals(before)) {
                f.violations.add(t + " claimed while " + before + " (seq " + e.seq() + ")");
              }
              claim.put(t, e.seq());
              String node = e.payload().path("node_id").asText();
              String held = holds.put(node, t);
              if (held != null) {
                f.doubleHolds.add(
                    node + " claimed " + t + " (seq " + e.seq() + ") while holding " + held);
              }
              owner.put(t, node);
              yield "claimed";
            }
            case "task.started" -> {
              // a decider records a second start of a running task as nothing
              if (!"claimed".equals(before)) {
                f.violations.add(t + " started while " + before + " (seq " + e.seq() + ")");
              }
              f.checkHolder(t, e, owner);
              f.startClaim.put(e.seq(), claim.getOrDefault(t, -1L));
              yield "running";
            }
            case "task.completed" -> {
              // a node completes what it holds; a plan or a session settles its parent (no node)
              // in any state that has not ended
              boolean byNode = !node(e).isEmpty();
              if ("completed".equals(before)) {
                f.violations.add(t + " completed twice (seq " + e.seq() + ")");
              } else if (byNode ? !HELD.contains(before) : ENDED.contains(before)) {
                f.violations.add(t + " completed while " + before + " (seq " + e.seq() + ")");
              }
              f.checkHolder(t, e, owner);
              yield "completed";
            }
            case "task.failed", "task.budget_exceeded" -> "failed";
            case "task.released", "task.stalled" -> "released";
            case "task.cancelled" -> "cancelled";
            case "task.requeued" -> "queued";
            default -> before;
          };
      f.status.put(t, after == null ? "?" : after);
      if (!"claimed".equals(after) && !"running".equals(after) && owner.containsKey(t)) {
        holds.remove(owner.remove(t), t);
      }
    }
    return f;
  }

  /** The event's {@code node_id}; empty when it has none, or null. */
  private static String node(Event e) {
    JsonNode n = e.payload().path("node_id");
    return n.isTextual() ? n.asText() : "";
  }

  /** A start or completion must come from the node that holds the task's claim. */
  private void checkHolder(String t, Event e, Map<String, String> owner) {
    String by = node(e);
    String holder = owner.get(t);
    if (holder != null && !by.isEmpty() && !holder.equals(by)) {
      violations.add(
          t + " " + e.type() + " by " + by + " while " + holder + " held it (seq " + e.seq() + ")");
    }
  }

  /**
   * The sequence of the one {@code type} event of {@code task} (for {@code task.started}: the one
   * after claim {@code claim}), or -1 when there is none.
   */
  long seqOf(String task, String type, long claim) {
    List<Long> s = seqs.getOrDefault(task + "|" + type, List.of());
    for (long seq : s) {
      if (claim < 0 || startClaim.getOrDefault(seq, -2L) == claim) {
        return seq;
      }
    }
    return -1;
  }

  Map<String, String> statuses() {
    return status;
  }

  List<String> doubleHolds() {
    return doubleHolds;
  }

  List<String> violations() {
    return violations;
  }
}
