package dev.jetmesh.orchestrator.node;

import dev.jetmesh.orchestrator.aggregate.AggregateRepository;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.StoredEvent;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Runs node commands through the node {@link AggregateRepository} with {@link NodeDecider}. Nothing
 * is published: the reference had no node notifications. Thread-safe.
 */
public final class NodeCommandHandler {
  /** How nodes are named, folded and versioned. */
  static final AggregateRepository.Model<NodeState> MODEL =
      new AggregateRepository.Model<>() {
        @Override
        public String subject(String id) {
          return Subjects.nodeEvents(id);
        }

        @Override
        public NodeState evolve(@Nullable NodeState state, StoredEvent event) {
          return NodeEvolver.evolve(state, event);
        }

        @Override
        public long version(@Nullable NodeState state) {
          return state == null ? 0 : state.version();
        }

        @Override
        public String noun() {
          return "Node";
        }
      };

  private final AggregateRepository<NodeState, NodeEvent> repository;

  public NodeCommandHandler(EventStore store, Clock clock) {
    this.repository = new AggregateRepository<>(store, clock, MODEL, 10_000);
  }

  /**
   * Decides and appends {@code command}.
   *
   * @param eventIdSeed when not null, event ids derive from it, so that a decision taken twice (a
   *     sweep on two orchestrators, a beat handled twice) is deduplicated by the stream
   * @throws CommandRejectedException when the decider refuses
   */
  public AggregateRepository.Outcome<NodeState> handle(
      NodeCommand command, String actor, String causationId, @Nullable String eventIdSeed) {
    return repository.execute(
        command.nodeId(),
        (state, now) -> NodeDecider.decide(state, command, now),
        actor,
        causationId,
        eventIdSeed);
  }

  /** The node, confirmed against the stream; null if it has no events. */
  public @Nullable NodeState current(String nodeId) {
    return repository.current(nodeId);
  }
}
