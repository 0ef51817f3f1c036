package dev.jetmesh.schema.events;

/** An envelope as read back from the stream, with its stream sequence and subject. */
public record StoredEvent(long seq, String subject, Envelope envelope) {
  public MeshEvent event() {
    return envelope.payload();
  }
}
