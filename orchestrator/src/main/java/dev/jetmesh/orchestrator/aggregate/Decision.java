package dev.jetmesh.orchestrator.aggregate;

import dev.jetmesh.schema.events.MeshEvent;
import java.util.List;

/**
 * What a decider concluded: events to append (possibly none), or a refusal with its message.
 *
 * @param <E> the aggregate's event type
 */
public sealed interface Decision<E extends MeshEvent> {
  record Accept<E extends MeshEvent>(List<E> events) implements Decision<E> {
    public Accept {
      events = List.copyOf(events);
    }
  }

  record Reject<E extends MeshEvent>(String error) implements Decision<E> {}

  /** Accepted, with nothing to record (e.g. a repeated start). */
  static <E extends MeshEvent> Decision<E> accept() {
    return new Accept<>(List.of());
  }

  static <E extends MeshEvent> Decision<E> accept(E event) {
    return new Accept<>(List.of(event));
  }

  static <E extends MeshEvent> Decision<E> accept(List<E> events) {
    return new Accept<>(events);
  }

  static <E extends MeshEvent> Decision<E> reject(String error) {
    return new Reject<>(error);
  }
}
