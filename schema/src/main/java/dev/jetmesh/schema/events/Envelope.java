package dev.jetmesh.schema.events;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Ids;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What is stored in the stream: an event with its identity and provenance. {@code causation_id} is
 * the id of the command (a request's event id) or event that caused this one.
 */
public record Envelope(
    UUID eventId,
    String type,
    int version,
    String aggregate,
    String aggregateId,
    Instant occurredAt,
    @Nullable String actor,
    @Nullable String causationId,
    MeshEvent payload) {

  public Envelope {
    requireNonNull(eventId, "null eventId");
    requireNonNull(type, "null type");
    requireNonNull(aggregate, "null aggregate");
    requireNonNull(aggregateId, "null aggregateId");
    requireNonNull(occurredAt, "null occurredAt");
    requireNonNull(payload, "null payload");
  }

  /** Wraps {@code event} with a fresh id; type and version come from the catalogue. */
  public static Envelope wrap(
      MeshEvent event,
      String aggregateId,
      @Nullable String actor,
      @Nullable String causationId,
      Instant at) {
    EventCatalog.Entry entry = EventCatalog.entryOf(event.getClass());
    return new Envelope(
        Ids.randomUuid(),
        entry.type(),
        entry.version(),
        event.aggregate(),
        aggregateId,
        at,
        actor,
        causationId,
        event);
  }

  /** The same envelope with a deterministic id, for decisions that must never be taken twice. */
  public Envelope withEventId(UUID id) {
    return new Envelope(
        id, type, version, aggregate, aggregateId, occurredAt, actor, causationId, payload);
  }
}
