package dev.jetmesh.orchestrator.projection;

/**
 * The consumer delivered an event past checkpoint + 1. Usually a delivery hiccup (a message lost
 * when the connection dropped, or one delivered again after the ack wait), which repositioning the
 * consumer cures; if it persists right after repositioning, the stream itself has a hole and the
 * projector halts.
 */
final class GapException extends ProjectorHaltedException {
  final long checkpoint;

  GapException(long checkpoint, long next) {
    super(
        "gap in the event stream: checkpoint is "
            + checkpoint
            + " but the next event is "
            + next
            + ", also after repositioning the consumer");
    this.checkpoint = checkpoint;
  }
}
