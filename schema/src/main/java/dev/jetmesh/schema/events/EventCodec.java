package dev.jetmesh.schema.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/**
 * Encodes envelopes to the stream's JSON and back. Decoding tolerates fields it does not know (an
 * event written by a newer jetmesh), but not an unknown type or a missing required field: those
 * throw {@link UndecodableEventException}, which the projector treats as a poison event.
 * Thread-safe.
 */
public final class EventCodec {
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final ObjectReader TOLERANT =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private EventCodec() {}

  /** Thrown when stored bytes are not a valid envelope of a known event type. */
  public static final class UndecodableEventException extends MeshException {
    public UndecodableEventException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static byte[] encode(Envelope e) {
    try {
      return MAPPER.writeValueAsBytes(toTree(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot encode " + e.type(), ex);
    }
  }

  /** The envelope as a JSON tree, payload included. */
  public static ObjectNode toTree(Envelope e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("event_id", e.eventId().toString());
    n.put("type", e.type());
    n.put("version", e.version());
    n.put("aggregate", e.aggregate());
    n.put("aggregate_id", e.aggregateId());
    n.put("occurred_at", e.occurredAt().toString());
    n.put("actor", e.actor());
    n.put("causation_id", e.causationId());
    n.set("payload", MAPPER.valueToTree(e.payload()));
    return n;
  }

  public static Envelope decode(byte[] data) {
    JsonNode n;
    try {
      n = TOLERANT.readTree(data);
    } catch (IOException ex) {
      throw new UndecodableEventException("not JSON: " + ex.getMessage(), ex);
    }
    return fromTree(n);
  }

  public static Envelope fromTree(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new UndecodableEventException("envelope is not a JSON object", null);
    }
    String type = text(n, "type");
    EventCatalog.Entry entry = EventCatalog.byType(type);
    if (entry == null) {
      throw new UndecodableEventException("unknown event type: " + type, null);
    }
    try {
      MeshEvent payload = TOLERANT.treeToValue(n.get("payload"), entry.javaType());
      if (payload == null) {
        throw new UndecodableEventException("missing payload", null);
      }
      String aggregateId = text(n, "aggregate_id");
      if (!dev.jetmesh.schema.Ids.isValid(aggregateId)) {
        throw new UndecodableEventException("invalid aggregate_id: " + aggregateId, null);
      }
      return new Envelope(
          UUID.fromString(text(n, "event_id")),
          type,
          n.path("version").asInt(1),
          text(n, "aggregate"),
          aggregateId,
          Instant.parse(text(n, "occurred_at")),
          n.path("actor").isNull() ? null : n.path("actor").asText(null),
          n.path("causation_id").isNull() ? null : n.path("causation_id").asText(null),
          payload);
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException ex) {
      throw new UndecodableEventException("bad " + type + " envelope: " + ex.getMessage(), ex);
    } catch (java.time.format.DateTimeParseException ex) {
      throw new UndecodableEventException("bad occurred_at: " + ex.getMessage(), ex);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new UndecodableEventException("envelope field " + field + " missing or not text", null);
    }
    return v.asText();
  }
}
