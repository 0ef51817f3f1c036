package dev.jetmesh.orchestrator.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.projection.TableSpec;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Applies a batch of collab events to the collab read model inside the projector's transaction: it
 * loads the touched sessions once, folds the events with {@link CollabEvolver#evolve} (the command
 * side's own function), and rewrites each touched session's rows. Sessions are small, so a rewrite
 * is cheaper to get right than per-event updates, and re-applying it is harmless. Not thread-safe;
 * one per batch.
 */
public final class CollabProjector implements Projection.Writer {
  /**
   * What this projector writes. Every timestamp in these tables comes from an event (its time, or a
   * deadline computed from it and the round timeout), none from the clock at write time, so no
   * column is left out of a rebuild's comparison.
   *
   * <p>A rebuild defers every secondary index: this projector reads and writes by primary key (its
   * deletes by the key's leading column), and only the reactor, the sweep and the read API use the
   * others.
   */
  static final List<TableSpec> TABLES =
      List.of(
          TableSpec.of("collab_sessions", "session_id")
              .deferringIndexes(
                  "collab_sessions_open", "collab_sessions_task", "collab_sessions_recent_end"),
          TableSpec.of("collab_members", "session_id", "node_id")
              .deferringIndexes("collab_members_node"),
          TableSpec.of("collab_rounds", "session_id", "round_number"),
          TableSpec.of("collab_reflections", "session_id", "round_number", "node_id"),
          TableSpec.of("collab_votes", "session_id", "round_number", "voter", "kind"));

  private final List<StoredEvent> events = new ArrayList<>();
  private final Map<String, CollabSession> states = new LinkedHashMap<>();

  @Override
  public void add(StoredEvent e) {
    events.add(e);
  }

  /** Writes the batch through {@code h}. Throws on an event that cannot apply (poison). */
  @Override
  public void flush(Handle h) {
    if (events.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>();
    for (StoredEvent e : events) {
      ids.add(e.envelope().aggregateId());
    }
    h.createQuery("SELECT doc::text FROM collab_sessions WHERE session_id = ANY(:ids)")
        .bindArray("ids", String.class, ids)
        .mapTo(String.class)
        .forEach(
            doc -> {
              CollabSession s = read(doc);
              states.put(s.sessionId(), s);
            });
    for (StoredEvent e : events) {
      String id = e.envelope().aggregateId();
      states.put(id, CollabEvolver.evolve(states.get(id), e));
    }
    for (CollabSession s : states.values()) {
      write(h, s);
    }
  }

  private static void write(Handle h, CollabSession s) {
    CollabRound r = s.round();
    h.createUpdate(
            """
            INSERT INTO collab_sessions (session_id, task_id, mode, status, convergence_type,
                scope_strategy, min_nodes, max_nodes, max_rounds, current_round, current_turn,
                recruiting_deadline, round_deadline, created_at, completed_at, abort_reason, result,
                last_seq, doc)
            VALUES (:session_id, :task_id, :mode, :status, :convergence_type, :scope_strategy,
                :min_nodes, :max_nodes, :max_rounds, :current_round, :current_turn,
                :recruiting_deadline, :round_deadline, :created_at, :completed_at, :abort_reason,
                CAST(:result AS jsonb), :last_seq, CAST(:doc AS jsonb))
            ON CONFLICT (session_id) DO UPDATE SET status = excluded.status,
                current_round = excluded.current_round, current_turn = excluded.current_turn,
                recruiting_deadline = excluded.recruiting_deadline,
                round_deadline = excluded.round_deadline, completed_at = excluded.completed_at,
                abort_reason = excluded.abort_reason, result = excluded.result,
                last_seq = excluded.last_seq, doc = excluded.doc
            """)
        .bind("session_id", s.sessionId())
        .bind("task_id", s.taskId())
        .bind("mode", s.mode().wire())
        .bind("status", s.status())
        .bind("convergence_type", s.convergence().type().wire())
        .bind("scope_strategy", s.scopeStrategy())
        .bind("min_nodes", s.minNodes())
        .bind("max_nodes", s.maxNodes())
        .bind("max_rounds", s.maxRounds())
        .bind("current_round", s.currentRound())
        .bind("current_turn", s.currentTurn())
        .bind("recruiting_deadline", ts(s.recruitingDeadline()))
        .bind(
            "round_deadline",
            r == null || r.outcome() != null ? null : ts(CollabRules.deadline(s, r)))
        .bind("created_at", ts(s.createdAt()))
        .bind("completed_at", ts(s.completedAt()))
        .bind("abort_reason", s.abortReason())
        .bind("result", s.result() == null ? null : s.result().toString())
        .bind("last_seq", s.version())
        .bind("doc", json(s))
        .execute();
    String sid = s.sessionId();
    for (String t :
        List.of("collab_members", "collab_rounds", "collab_reflections", "collab_votes")) {
      h.createUpdate("DELETE FROM " + t + " WHERE session_id = :s").bind("s", sid).execute();
    }
    var members =
        h.prepareBatch(
            "INSERT INTO collab_members (session_id, node_id, role, status, joined_at)"
                + " VALUES (:s, :n, :r, :st, :j)");
    for (CollabNode n : s.nodes()) {
      members
          .bind("s", sid)
          .bind("n", n.nodeId())
          .bind("r", n.role())
          .bind("st", n.status())
          .bind("j", ts(n.joinedAt()))
          .add();
    }
    if (!s.nodes().isEmpty()) {
      members.execute();
    }
    for (CollabRound x : s.rounds()) {
      h.createUpdate(
              """
              INSERT INTO collab_rounds (session_id, round_number, started_at, deadline,
                  completed_at, shared_intel, assignments, turn_order, outcome, timed_out)
              VALUES (:s, :n, :st, :d, :c, :i, CAST(:a AS jsonb), :t, :o, :to)
              """)
          .bind("s", sid)
          .bind("n", x.roundNumber())
          .bind("st", ts(x.startedAt()))
          .bind("d", ts(x.deadline()))
          .bind("c", ts(x.completedAt()))
          .bind("i", x.sharedIntel())
          .bind("a", json(x.assignments()))
          .bindArray("t", String.class, x.turnOrder())
          .bind("o", x.outcome())
          .bind("to", x.timedOut())
          .execute();
      for (CollabReflection f : x.reflections()) {
        h.createUpdate(
                """
                INSERT INTO collab_reflections (session_id, round_number, node_id, summary,
                    learnings, artifacts, confidence, vote, parse_failed, metric_passed,
                    metric_score, cost_usd, submitted_at)
                VALUES (:s, :n, :node, :sum, :l, :a, :c, :v, :pf, :mp, :ms, :cost, :at)
                """)
            .bind("s", sid)
            .bind("n", x.roundNumber())
            .bind("node", f.nodeId())
            .bind("sum", f.summary())
            .bind("l", f.learnings())
            .bindArray("a", String.class, f.artifacts())
            .bind("c", f.confidence())
            .bind("v", f.vote().wire())
            .bind("pf", f.parseFailed())
            .bind("mp", f.metricPassed())
            .bindBySqlType("ms", f.metricScore(), java.sql.Types.NUMERIC)
            .bindBySqlType("cost", f.costUsd(), java.sql.Types.NUMERIC)
            .bind("at", ts(f.submittedAt()))
            .execute();
        vote(h, sid, x.roundNumber(), f.nodeId(), "member", f.vote().wire(), !f.parseFailed());
      }
      if (x.coordinatorVote() != null) {
        vote(
            h,
            sid,
            x.roundNumber(),
            x.coordinatorVoter() == null ? "coordinator" : x.coordinatorVoter(),
            "coordinator",
            x.coordinatorVote().wire(),
            true);
      }
    }
  }

  private static void vote(
      Handle h, String sid, int round, String voter, String kind, String vote, boolean valid) {
    h.createUpdate(
            "INSERT INTO collab_votes (session_id, round_number, voter, kind, vote, valid)"
                + " VALUES (:s, :n, :v, :k, :vote, :valid) ON CONFLICT DO NOTHING")
        .bind("s", sid)
        .bind("n", round)
        .bind("v", voter)
        .bind("k", kind)
        .bind("vote", vote)
        .bind("valid", valid)
        .execute();
  }

  static CollabSession read(String doc) {
    try {
      return Json.mapper().readValue(doc, CollabSession.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable session row: " + e.getOriginalMessage(), e);
    }
  }

  static String json(Object o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static @Nullable Timestamp ts(@Nullable Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
