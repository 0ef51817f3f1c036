package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The members of an open round that have been silent: asks those that should be working whether
 * they are alive (at most once per {@code aliveAfter} each), and sends the round again to those
 * that have not reflected (once per renotify interval). Remembers when it last did either, in this
 * process only: after a restart or a change of leader, at worst one check or one notice comes
 * early. It remembers them for the sessions open at the last sweep and, for notices, their current
 * round only ({@link #forgetAllBut}), so what it holds is bounded by the open sessions, not by
 * history. Part of {@link CollabReactor}'s sweep; thread-safe.
 */
final class SilentMembers {
  private final MeshBus bus;
  private final CollabNotifier notifier;
  private final Duration aliveAfter;
  private final Duration aliveTimeout;
  private final Duration renotifyInterval;

  /** Session id → member → when it was last asked whether it is alive. */
  private final Map<String, Map<String, Instant>> aliveChecked = new ConcurrentHashMap<>();

  /** Session id → the round its notices went out for, and when each member was last sent it. */
  private final Map<String, Notices> notified = new ConcurrentHashMap<>();

  private record Notices(int round, Map<String, Instant> sent) {}

  SilentMembers(
      MeshBus bus,
      CollabNotifier notifier,
      Duration aliveAfter,
      Duration aliveTimeout,
      Duration renotifyInterval) {
    this.bus = bus;
    this.notifier = notifier;
    this.aliveAfter = aliveAfter;
    this.aliveTimeout = aliveTimeout;
    this.renotifyInterval = renotifyInterval;
  }

  /** Alive-checks the members that should be working and have been silent for a while. */
  Set<String> aliveChecks(CollabSession s, Instant now) {
    CollabRound r = s.round();
    if (!"active".equals(s.status()) || r == null || r.outcome() != null) {
      return Set.of();
    }
    Instant since =
        s.mode() == CollabMode.SEQUENTIAL && !r.reflections().isEmpty()
            ? r.reflections().get(r.reflections().size() - 1).submittedAt()
            : r.startedAt();
    if (now.isBefore(since.plus(aliveAfter))) {
      return Set.of();
    }
    List<String> ask = new ArrayList<>();
    Map<String, Instant> checked =
        aliveChecked.computeIfAbsent(s.sessionId(), k -> new ConcurrentHashMap<>());
    for (String node : CollabNotifier.expectedWorkers(s)) {
      Instant last = checked.get(node);
      if (last != null && now.isBefore(last.plus(aliveAfter))) {
        continue;
      }
      checked.put(node, now);
      ask.add(node);
    }
    return ask.isEmpty() ? Set.of() : bus.notAlive(ask, s.taskId(), aliveTimeout);
  }

  /** Sends the round again to members that have not reflected for a renotify interval. */
  void renotify(CollabSession s, Instant now) {
    CollabRound r = s.round();
    if (r == null || !"active".equals(s.status()) || r.outcome() != null) {
      return;
    }
    // A new round starts the members' intervals again: the last round's notices are forgotten.
    Notices n =
        notified.compute(
            s.sessionId(),
            (k, v) ->
                v != null && v.round() == r.roundNumber()
                    ? v
                    : new Notices(r.roundNumber(), new ConcurrentHashMap<>()));
    for (String node : CollabNotifier.expectedWorkers(s)) {
      Instant last = n.sent().getOrDefault(node, r.startedAt());
      if (!now.isBefore(last.plus(renotifyInterval))) {
        n.sent().put(node, now);
        notifier.notifyRound(s, node);
      }
    }
  }

  /**
   * Forgets every session but {@code open}, the sessions still open at a sweep: an ended session is
   * never swept again, and without this each would be remembered for the process's life.
   */
  void forgetAllBut(Set<String> open) {
    aliveChecked.keySet().retainAll(open);
    notified.keySet().retainAll(open);
  }

  /** How many members' times are remembered, over every session (for tests). */
  int remembered() {
    int n = 0;
    for (Map<String, Instant> m : aliveChecked.values()) {
      n += m.size();
    }
    for (Notices x : notified.values()) {
      n += x.sent().size();
    }
    return n;
  }
}
