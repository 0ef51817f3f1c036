package dev.jetmesh.orchestrator.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.aggregate.AggregateRepository;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabSession;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs collab commands through the session {@link AggregateRepository} with {@link CollabDecider},
 * appends reactor decisions at the projected sequence, and publishes the reference's notifications
 * for whatever was appended. Thread-safe.
 */
public final class CollabCommandHandler {
  private final AggregateRepository<CollabSession, CollabEvent> repository;
  private final CollabNotifier notifier;

  /** How sessions are named, folded and versioned. */
  static AggregateRepository.Model<CollabSession> model() {
    return AggregateRepository.Model.of(
        "Session", Subjects::collabEvents, CollabEvolver::evolve, CollabSession::version);
  }

  public CollabCommandHandler(EventStore store, Clock clock, CollabNotifier notifier) {
    this.repository = new AggregateRepository<>(store, clock, model(), 10_000);
    this.notifier = notifier;
  }

  /**
   * Decides and appends {@code c}.
   *
   * @throws CommandRejectedException when the decider refuses
   */
  public AggregateRepository.Outcome<CollabSession> handle(
      CollabCommand c, String actor, String causationId, @Nullable String seed) {
    AggregateRepository.Outcome<CollabSession> o =
        repository.execute(
            c.sessionId(),
            (state, now) -> CollabDecider.decide(state, c, now),
            actor,
            causationId,
            seed);
    notifyAll(o);
    return o;
  }

  /** Appends a reactor's decision, expecting the session at {@code projectedSeq}. */
  public AggregateRepository.Outcome<CollabSession> appendAt(
      String sessionId,
      long projectedSeq,
      List<CollabEvent> events,
      String causation,
      String seed) {
    AggregateRepository.Outcome<CollabSession> o =
        repository.appendAt(sessionId, projectedSeq, events, "orchestrator", causation, seed);
    notifyAll(o);
    return o;
  }

  private void notifyAll(AggregateRepository.Outcome<CollabSession> o) {
    for (StoredEvent se : o.appended()) {
      notifier.event(se, requireNonNull(o.state(), "a session after its events"));
    }
  }

  /** The session as this process last knew it (another orchestrator may have moved it on). */
  public @Nullable CollabSession load(String sessionId) {
    return repository.load(sessionId);
  }

  public @Nullable CollabSession current(String sessionId) {
    return repository.current(sessionId);
  }

  public CollabNotifier notifier() {
    return notifier;
  }
}
