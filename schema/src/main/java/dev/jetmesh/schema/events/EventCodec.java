package dev.jetmesh.schema.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Instants;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

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

  /** For values inside an envelope being parsed: the envelope itself checks for trailing data. */
  private static final ObjectReader TOLERANT_PART =
      TOLERANT.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * {@link #TOLERANT_PART} bound to each event type: {@code readValue(parser, type)} makes a new
   * reader per call, which was 5 % of the projector's decoding.
   */
  private static final ConcurrentMap<Class<?>, ObjectReader> PAYLOAD_READERS =
      new ConcurrentHashMap<>();

  private EventCodec() {}

  /** Thrown when stored bytes are not a valid envelope of a known event type. */
  public static final class UndecodableEventException extends MeshException {
    public UndecodableEventException(String message, @Nullable Throwable cause) {
      super(ErrorCode.INTERNAL, message, cause);
    }
  }

  /** The envelope's stream JSON, written in one pass (the field order of {@link #toTree}). */
  public static byte[] encode(Envelope e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("event_id", e.eventId().toString());
      g.writeStringField("type", e.type());
      g.writeNumberField("version", e.version());
      g.writeStringField("aggregate", e.aggregate());
      g.writeStringField("aggregate_id", e.aggregateId());
      g.writeStringField("occurred_at", Instants.format(e.occurredAt()));
      g.writeStringField("actor", e.actor());
      g.writeStringField("causation_id", e.causationId());
      g.writeFieldName("payload");
      MAPPER.writeValue(g, e.payload());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new IllegalStateException("cannot encode " + e.type(), ex);
    }
    return out.toByteArray();
  }

  /** The envelope as a JSON tree, payload included: {@link #encode}'s JSON, read back. */
  public static ObjectNode toTree(Envelope e) {
    try {
      return (ObjectNode) MAPPER.readTree(encode(e));
    } catch (IOException ex) {
      throw new IllegalStateException("cannot read back " + e.type(), ex);
    }
  }

  /**
   * Decodes stored bytes in one pass when {@code type} comes before {@code payload} (as {@link
   * #encode} writes it); otherwise the payload is read as a tree first and bound once the type is
   * known. Same checks either way.
   */
  public static Envelope decode(byte[] data) {
    return decodeWithSpan(data).envelope();
  }

  /**
   * An envelope and where its payload's JSON object lies in the bytes it was decoded from, {@code
   * data[payloadFrom, payloadTo)}; both are -1 in the rare case where the parser cannot tell (the
   * payload was not a JSON object, or its offsets are unknown).
   */
  public record Decoded(Envelope envelope, int payloadFrom, int payloadTo) {}

  /** {@link #decode}, also telling where the payload's JSON is in {@code data}. */
  public static Decoded decodeWithSpan(byte[] data) {
    try (JsonParser p = MAPPER.getFactory().createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new UndecodableEventException("envelope is not a JSON object", null);
      }
      Map<String, @Nullable String> text = new HashMap<>();
      Set<String> notText = new HashSet<>();
      int version = 1;
      MeshEvent payload = null;
      JsonNode payloadTree = null;
      boolean payloadSeen = false;
      int payloadFrom = -1;
      int payloadTo = -1;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "payload" -> {
            payloadSeen = true;
            payload = null;
            payloadTree = null;
            EventCatalog.Entry entry = text.containsKey("type") ? entry(text.get("type")) : null;
            payloadFrom = -1;
            payloadTo = -1;
            if (entry != null && t != JsonToken.VALUE_NULL) {
              long from = p.currentTokenLocation().getByteOffset();
              payload = bind(p, entry);
              // Binding clears the current token but not its location: the payload's last token.
              long to = p.currentTokenLocation().getByteOffset() + 1;
              if (from >= 0 && p.getLastClearedToken() == JsonToken.END_OBJECT) {
                payloadFrom = (int) from;
                payloadTo = (int) to;
              }
            } else {
              long from = p.currentTokenLocation().getByteOffset();
              payloadTree = TOLERANT_PART.readTree(p);
              long to = p.currentTokenLocation().getByteOffset() + 1;
              if (from >= 0 && payloadTree != null && payloadTree.isObject()) {
                payloadFrom = (int) from;
                payloadTo = (int) to;
              }
            }
          }
          case "version" -> version = t == JsonToken.VALUE_NULL ? 1 : p.getValueAsInt(1);
          default -> {
            if (t == JsonToken.VALUE_STRING) {
              text.put(field, p.getText());
              notText.remove(field);
            } else {
              text.remove(field);
              notText.add(field);
              if (t == JsonToken.VALUE_NULL) {
                text.put(field, null);
              } else if (t.isScalarValue()) {
                text.put(field, p.getText());
              }
              p.skipChildren();
            }
          }
        }
      }
      if (p.nextToken() != null) {
        throw new UndecodableEventException("trailing content after the envelope", null);
      }
      String type = required(text, notText, "type");
      EventCatalog.Entry entry = entry(type);
      if (entry == null) {
        throw new UndecodableEventException("unknown event type: " + type, null);
      }
      if (payload == null && payloadTree != null && !payloadTree.isNull()) {
        payload = TOLERANT.treeToValue(payloadTree, entry.javaType());
      }
      if (!payloadSeen || payload == null) {
        throw new UndecodableEventException("missing payload", null);
      }
      Envelope envelope =
          envelope(
              type,
              required(text, notText, "event_id"),
              version,
              required(text, notText, "aggregate"),
              required(text, notText, "aggregate_id"),
              required(text, notText, "occurred_at"),
              text.get("actor"),
              text.get("causation_id"),
              payload);
      return new Decoded(envelope, payloadFrom, payloadTo);
    } catch (UndecodableEventException ex) {
      throw ex;
    } catch (IOException ex) {
      throw new UndecodableEventException("not JSON: " + ex.getMessage(), ex);
    } catch (IllegalArgumentException ex) {
      throw new UndecodableEventException("not a valid envelope: " + ex.getMessage(), ex);
    }
  }

  private static EventCatalog.@Nullable Entry entry(@Nullable String type) {
    return type == null ? null : EventCatalog.byType(type);
  }

  private static MeshEvent bind(JsonParser p, EventCatalog.Entry entry) {
    try {
      return PAYLOAD_READERS
          .computeIfAbsent(entry.javaType(), TOLERANT_PART::forType)
          .<MeshEvent>readValue(p);
    } catch (IOException | IllegalArgumentException | NullPointerException ex) {
      throw new UndecodableEventException(
          "bad " + entry.type() + " envelope: " + ex.getMessage(), ex);
    }
  }

  private static String required(
      Map<String, @Nullable String> text, Set<String> notText, String field) {
    String v = text.get(field);
    if (v == null || notText.contains(field)) {
      throw new UndecodableEventException("envelope field " + field + " missing or not text", null);
    }
    return v;
  }

  private static Envelope envelope(
      String type,
      String eventId,
      int version,
      String aggregate,
      String aggregateId,
      String occurredAt,
      @Nullable String actor,
      @Nullable String causationId,
      MeshEvent payload) {
    if (!dev.jetmesh.schema.Ids.isValid(aggregateId)) {
      throw new UndecodableEventException("invalid aggregate_id: " + aggregateId, null);
    }
    try {
      return new Envelope(
          UUID.fromString(eventId),
          type,
          version,
          aggregate,
          aggregateId,
          Instants.parse(occurredAt),
          actor,
          causationId,
          payload);
    } catch (IllegalArgumentException | NullPointerException ex) {
      throw new UndecodableEventException("bad " + type + " envelope: " + ex.getMessage(), ex);
    } catch (java.time.format.DateTimeParseException ex) {
      throw new UndecodableEventException("bad occurred_at: " + ex.getMessage(), ex);
    }
  }
}
