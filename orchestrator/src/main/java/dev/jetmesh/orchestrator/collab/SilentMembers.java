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
 * early. Part of {@link CollabReactor}'s sweep; thread-safe.
 */
final class SilentMembers {
  private final MeshBus bus;
  private final CollabNotifier notifier;
  private final Duration aliveAfter;
  private final Duration aliveTimeout;
  private final Duration renotifyInterval;
  private final Map<String, Instant> lastNotified = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastAliveCheck = new ConcurrentHashMap<>();

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
    for (String node : CollabNotifier.expectedWorkers(s)) {
      String key = s.sessionId() + "/" + node;
      Instant last = lastAliveCheck.get(key);
      if (last != null && now.isBefore(last.plus(aliveAfter))) {
        continue;
      }
      lastAliveCheck.put(key, now);
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
    for (String node : CollabNotifier.expectedWorkers(s)) {
      String key = s.sessionId() + "/" + r.roundNumber() + "/" + node;
      Instant last = lastNotified.getOrDefault(key, r.startedAt());
      if (!now.isBefore(last.plus(renotifyInterval))) {
        lastNotified.put(key, now);
        notifier.notifyRound(s, node);
      }
    }
  }
}
