package dev.jetmesh.orchestrator.projection;

/**
 * The consumer did not deliver the events after {@link #after}, which the stream has (a delivery
 * lost on the way): reposition it there. A signal between a loop and the code that owns the
 * consumer (the projector's stall watch, the rebuild's gap check), caught one level up; no stack
 * trace.
 */
final class Reposition extends RuntimeException {
  final long after;

  Reposition(long after) {
    super(null, null, false, false);
    this.after = after;
  }
}
