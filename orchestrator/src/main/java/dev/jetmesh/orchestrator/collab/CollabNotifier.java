package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.ConvergenceType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the reference's collab messages after an event is stored: the recruit broadcast, the
 * per-node round notifications and {@code mesh.events.collab.<type>}. At-most-once, like the
 * reference; a member that misses its round asks {@code mesh.collab.assignment} or gets it again
 * from the sweep. Thread-safe.
 */
public final class CollabNotifier {
  private final MeshBus bus;

  public CollabNotifier(MeshBus bus) {
    this.bus = bus;
  }

  /** Notifies {@code stored}, with {@code s} the session after it. */
  public void event(StoredEvent stored, CollabSession s) {
    if (!(stored.event() instanceof CollabEvent ev)) {
      return;
    }
    Instant at = stored.envelope().occurredAt();
    String type =
        switch (ev) {
          case CollabEvent.SessionCreated c -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("session_id", s.sessionId());
            r.put("task_id", s.taskId());
            r.put("mode", s.mode());
            r.put("min_nodes", s.minNodes());
            r.put("max_nodes", s.maxNodes());
            r.put("task_title", s.taskTitle());
            publish(Subjects.collabRecruit(s.sessionId()), r);
            yield "created";
          }
          case CollabEvent.NodeJoined j -> "joined";
          case CollabEvent.RoundStarted r -> {
            notifyRound(s, null);
            yield "round_started";
          }
          case CollabEvent.TurnAdvanced t -> {
            if (t.currentTurn() != null) {
              notifyRound(s, t.currentTurn());
            }
            yield null;
          }
          case CollabEvent.ReflectionSubmitted r -> "reflection_received";
          case CollabEvent.SessionConverged c -> "converged";
          case CollabEvent.SessionCompleted c -> "completed";
          case CollabEvent.SessionAborted a -> "aborted";
          case CollabEvent.NodeLeft l -> null;
          case CollabEvent.NodeMarkedDead d -> null;
          case CollabEvent.RecruitingClosed r -> null;
          case CollabEvent.CoordinatorVoted v -> null;
          case CollabEvent.RoundEvaluated e -> null;
        };
    if (type != null) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("event", type);
      n.put("session_id", s.sessionId());
      n.put("task_id", s.taskId());
      n.put("session", s);
      n.put("timestamp", at);
      publish(Subjects.collabNotification(type), n);
    }
  }

  /** Sends the round to {@code only}, or to everyone who should be working when it is null. */
  public void notifyRound(CollabSession s, @Nullable String only) {
    for (String node : expectedWorkers(s)) {
      if (only == null || only.equals(node)) {
        publish(Subjects.collabRound(s.sessionId(), node), assignment(s, node));
      }
    }
  }

  /** Members that should be working on the open round and have not reflected yet. */
  public static List<String> expectedWorkers(CollabSession s) {
    CollabRound r = s.round();
    if (!"active".equals(s.status()) || r == null || r.outcome() != null) {
      return List.of();
    }
    if (s.mode() == CollabMode.SEQUENTIAL) {
      return s.currentTurn() == null ? List.of() : List.of(s.currentTurn());
    }
    return s.liveNodes().stream()
        .map(CollabNode::nodeId)
        .filter(id -> r.reflectionOf(id) == null)
        .toList();
  }

  /**
   * The reference's round notification for {@code node}: {@code {session_id, task_id, round_number,
   * shared_intel, my_scope, my_role, mode, current_turn, scope_strategy}}, plus jetmesh's {@code
   * deadline}, {@code round_scores} ({@link #roundScores}), {@code reflected} and, for {@code
   * coordinator} convergence, {@code coordinator} (who casts the deciding vote now: the member that
   * finds its own id there votes) and {@code coordinator_voted} (whether the round has that vote);
   * both null under the other rules.
   */
  public static Map<String, Object> assignment(CollabSession s, String node) {
    CollabRound r = Objects.requireNonNull(s.round(), "no round yet");
    CollabAssignment a = r.assignmentOf(node);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session_id", s.sessionId());
    m.put("task_id", s.taskId());
    m.put("round_number", r.roundNumber());
    m.put("shared_intel", RoundIntel.intelFor(s, r));
    m.put("my_scope", a == null ? List.of("*") : a.scope());
    m.put("my_role", a == null ? "worker" : a.role());
    m.put("mode", s.mode());
    m.put("current_turn", s.currentTurn());
    m.put("scope_strategy", s.scopeStrategy());
    m.put("deadline", CollabRules.deadline(s, r));
    m.put("reflected", r.reflectionOf(node) != null);
    boolean coordinated = s.convergence().type() == ConvergenceType.COORDINATOR;
    m.put("coordinator", coordinated ? CollabDecider.coordinatorOf(s) : null);
    m.put("coordinator_voted", coordinated ? r.coordinatorVote() != null : null);
    m.put("round_scores", roundScores(s));
    return m;
  }

  /**
   * jetmesh's {@code round_scores}: per earlier round, the metric score each member's run printed
   * ({@code [{round_number, scores: {node: score}}]}, rounds without a score left out), so the
   * round prompt can show the scores and their trend. The session does not know the task's metric
   * direction; the member, which has the task, picks each round's best.
   */
  static List<Map<String, Object>> roundScores(CollabSession s) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (CollabRound earlier : s.rounds()) {
      if (earlier.roundNumber() >= s.currentRound()) {
        break;
      }
      Map<String, BigDecimal> scores = new LinkedHashMap<>();
      for (CollabReflection x : earlier.reflections()) {
        if (x.metricScore() != null) {
          scores.put(x.nodeId(), x.metricScore());
        }
      }
      if (!scores.isEmpty()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("round_number", earlier.roundNumber());
        row.put("scores", scores);
        out.add(row);
      }
    }
    return out;
  }

  private void publish(String subject, Object body) {
    bus.publish(subject, body);
  }
}
