package dev.jetmesh.orchestrator.aggregate;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.events.MeshEvent;
import java.util.List;

/**
 * What a decider concluded: events to append (possibly none), or a refusal with its code and
 * message.
 *
 * @param <E> the aggregate's event type
 */
public sealed interface Decision<E extends MeshEvent> {
  record Accept<E extends MeshEvent>(List<E> events) implements Decision<E> {
    public Accept {
      events = List.copyOf(events);
    }
  }

  /** A refusal: the caller's fault, with the code programs branch on and a message for people. */
  record Reject<E extends MeshEvent>(ErrorCode code, String error) implements Decision<E> {
    public Reject {
      requireNonNull(code, "null code");
      requireNonNull(error, "null error");
    }

    /** The refusal as the exception a handler throws. */
    public CommandRejectedException toException() {
      return new CommandRejectedException(code, error);
    }
  }

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

  static <E extends MeshEvent> Decision<E> reject(ErrorCode code, String error) {
    return new Reject<>(code, error);
  }
}
