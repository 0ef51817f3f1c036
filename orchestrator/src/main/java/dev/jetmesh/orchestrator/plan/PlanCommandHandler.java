package dev.jetmesh.orchestrator.plan;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.aggregate.AggregateRepository;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.model.Plan;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs plan commands through the plan {@link AggregateRepository} with {@link PlanDecider}, appends
 * the reactor's decisions, and publishes the reference's notifications for what was appended.
 * Thread-safe.
 */
public final class PlanCommandHandler {
  /** How plans are named, folded and versioned. */
  static final AggregateRepository.Model<Plan> MODEL =
      AggregateRepository.Model.of(
          "Plan", Subjects::planEvents, PlanEvolver::evolve, Plan::version);

  private final AggregateRepository<Plan, PlanEvent> repository;
  private final PlanNotifier notifier;

  public PlanCommandHandler(EventStore store, Clock clock, PlanNotifier notifier) {
    this.repository = new AggregateRepository<>(store, clock, MODEL, 10_000);
    this.notifier = notifier;
  }

  /**
   * Decides and appends {@code command}; returns the plan after it.
   *
   * @throws CommandRejectedException when the decider refuses
   */
  public Plan handle(PlanCommand command, String actor, String causationId) {
    AggregateRepository.Outcome<Plan> o =
        repository.execute(
            command.planId(),
            (state, now) -> PlanDecider.decide(state, command),
            actor,
            causationId,
            null);
    Plan plan = requireNonNull(o.state(), "only a creation is accepted without a plan");
    notifier.notify(o.appended(), plan);
    return plan;
  }

  /**
   * Appends a reactor decision at the projected sequence with ids derived from {@code seed}.
   *
   * @return the stream sequence of the last event appended
   * @throws dev.jetmesh.orchestrator.store.ConcurrencyConflictException when the plan moved on
   */
  public long appendAt(
      String planId, long projectedSeq, List<PlanEvent> events, String causationId, String seed) {
    AggregateRepository.Outcome<Plan> o =
        repository.appendAt(planId, projectedSeq, events, "orchestrator", causationId, seed);
    Plan plan = requireNonNull(o.state(), "a plan after its events");
    notifier.notify(o.appended(), plan);
    return plan.version();
  }

  /** The plan, confirmed against the stream; null if absent. */
  public @Nullable Plan current(String planId) {
    return repository.current(planId);
  }
}
