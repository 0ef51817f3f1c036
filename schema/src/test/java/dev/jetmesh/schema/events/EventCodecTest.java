package dev.jetmesh.schema.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.EventCodec.UndecodableEventException;
import dev.jetmesh.schema.events.TaskEvent.TaskClaimed;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event type survives encode and decode unchanged, and what is stored matches the published
 * JSON Schemas; stored bytes that are not a known event fail with {@link
 * UndecodableEventException}.
 */
class EventCodecTest {
  private static final String CAUSATION = "0b6f6c3e-3a4f-4c55-9d61-2f0f1f4b7a10";

  static Stream<MeshEvent> samples() {
    return Samples.all().stream();
  }

  private static Envelope wrap(MeshEvent e) {
    return Envelope.wrap(e, Samples.TASK_ID, "node-a", CAUSATION, Samples.AT);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void encode_matchesTheSchemas_andDecodeRestoresTheEvent(MeshEvent event) throws IOException {
    Envelope env = wrap(event);
    byte[] bytes = EventCodec.encode(env);

    String json = new String(bytes, UTF_8);
    JsonSchemas.assertValid(JsonSchemas.ENVELOPE, json);
    JsonNode tree = Json.mapper().readTree(bytes);
    JsonSchemas.assertValid(JsonSchemas.fileOf(env.type()), tree.get("payload").toString());
    assertThat(tree.get("type").asText()).startsWith(event.aggregate() + ".");
    assertThat(tree.get("aggregate").asText()).isEqualTo(event.aggregate());

    Envelope back = EventCodec.decode(bytes);
    assertThat(canonical(back.payload())).isEqualTo(canonical(event));
    assertThat(canonical(back)).isEqualTo(canonical(env));
    assertThat(EventCodec.encode(back)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodeWithSpan_pointsAtThePayloadAsStored_theSameJsonAsEncodingItAgain(MeshEvent event)
      throws IOException {
    byte[] bytes = EventCodec.encode(wrap(event));
    EventCodec.Decoded d = EventCodec.decodeWithSpan(bytes);

    assertThat(d.payloadFrom()).isPositive();
    String stored = new String(bytes, d.payloadFrom(), d.payloadTo() - d.payloadFrom(), UTF_8);
    assertThat(Json.mapper().readTree(stored))
        .isEqualTo(Json.mapper().readTree(bytes).get("payload"))
        .isEqualTo(
            Json.mapper().readTree(Json.mapper().writeValueAsString(d.envelope().payload())));
  }

  @Test
  void decodeWithSpan_keepsThePayloadAsStored_unknownFieldsAndNonAsciiIncluded()
      throws IOException {
    ObjectNode n = claimedTree();
    ((ObjectNode) n.get("payload")).put("lease_seconds", 90).put("note", "caf\u00e9 \"q\" — ☃");
    byte[] bytes = Json.mapper().writeValueAsBytes(n);
    EventCodec.Decoded d = EventCodec.decodeWithSpan(bytes);

    String stored = new String(bytes, d.payloadFrom(), d.payloadTo() - d.payloadFrom(), UTF_8);
    assertThat(Json.mapper().readTree(stored)).isEqualTo(n.get("payload"));
  }

  @Test
  void decodeWithSpan_pointsAtThePayload_alsoWhenItComesBeforeItsType() throws IOException {
    ObjectNode n = claimedTree();
    ((ObjectNode) n.get("payload")).put("lease_seconds", 90);
    byte[] bytes = bytes(payloadFirst(n));
    EventCodec.Decoded d = EventCodec.decodeWithSpan(bytes);

    String stored = new String(bytes, d.payloadFrom(), d.payloadTo() - d.payloadFrom(), UTF_8);
    assertThat(Json.mapper().readTree(stored)).isEqualTo(n.get("payload"));
    assertThat(d.envelope().payload()).isEqualTo(EventCodec.decode(bytes(n)).payload());
  }

  /**
   * {@code value} as nested lists and maps, with a JSON {@code null} node taken as Java null.
   * Jackson reads a JSON null into a {@code JsonNode} field as {@code NullNode}; {@code TaskSpec}
   * and {@code Task} normalise it back to null, but {@code Attempt.tokens} and the events' {@code
   * result} do not, so a decoded event is not {@code equals} to the encoded one there (reported to
   * the lead). Likewise a decimal written into a result node (a spend) reads back as a double node
   * of the same text. This compares what they mean; the byte comparison above compares what is
   * stored.
   */
  static Object canonical(Object value) {
    if (value instanceof JsonNode n) {
      return n.isNull() ? null : n.toString();
    }
    if (value instanceof Record r) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("@type", r.getClass().getName());
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          fields.put(c.getName(), canonical(c.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return fields;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(EventCodecTest::canonical).toList();
    }
    return value;
  }

  @Test
  void encode_writesEveryEnvelopeField_nullsIncluded() throws IOException {
    Envelope env =
        Envelope.wrap(
            new TaskSubmitted(Samples.minimalSpec()), "tidy-readme", null, null, Samples.AT);
    JsonNode tree = Json.mapper().readTree(EventCodec.encode(env));
    assertThat(tree.get("occurred_at").asText()).isEqualTo("2025-06-02T09:15:30.123Z");
    assertThat(tree.get("actor").isNull()).isTrue();
    assertThat(tree.get("causation_id").isNull()).isTrue();
    assertThat(tree.get("version").asInt()).isEqualTo(1);
    JsonSchemas.assertValid(JsonSchemas.ENVELOPE, tree.toString());
    assertThat(canonical(EventCodec.decode(EventCodec.encode(env)))).isEqualTo(canonical(env));
  }

  @Test
  void schemas_rejectWhatJacksonWouldNotWrite() {
    ObjectNode env = claimedTree();
    env.put("subject", "mesh.evt.task.x");
    assertThat(JsonSchemas.violations(JsonSchemas.ENVELOPE, env.toString())).isNotEmpty();
    ObjectNode badId = claimedTree();
    badId.put("event_id", "not-a-uuid");
    assertThat(JsonSchemas.violations(JsonSchemas.ENVELOPE, badId.toString())).isNotEmpty();
    ObjectNode badTime = claimedTree();
    badTime.put("occurred_at", "yesterday");
    assertThat(JsonSchemas.violations(JsonSchemas.ENVELOPE, badTime.toString())).isNotEmpty();

    assertThat(JsonSchemas.violations("task.claimed.json", "{\"node_id\":\"node-a\"}"))
        .isNotEmpty();
    assertThat(
            JsonSchemas.violations(
                "task.claimed.json",
                "{\"node_id\":\"a.b\",\"budget_deadline\":\"2025-06-02T10:00:00Z\"}"))
        .isNotEmpty();
    assertThat(
            JsonSchemas.violations(
                "task.completed.json", "{\"node_id\":null,\"result\":{},\"extra\":1}"))
        .isNotEmpty();
    assertThat(
            JsonSchemas.violations("task.completed.json", "{\"node_id\":null,\"result\":\"ok\"}"))
        .isNotEmpty();
  }

  @Test
  void decode_rejectsNonJson() {
    assertThatThrownBy(() -> EventCodec.decode("{not an event".getBytes(UTF_8)))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessageStartingWith("not JSON");
    assertUndecodable("not json{".getBytes(UTF_8));
    assertUndecodable(new byte[0]);
    assertUndecodable("[1,2]".getBytes(UTF_8));
  }

  @Test
  void decode_rejectsAnUnknownType() {
    ObjectNode n = claimedTree();
    n.put("type", "task.teleported");
    assertThatThrownBy(() -> EventCodec.decode(bytes(n)))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessageContaining("task.teleported");
  }

  @Test
  void decode_rejectsAMissingOrNullPayload() {
    ObjectNode missing = claimedTree();
    missing.remove("payload");
    assertUndecodable(bytes(missing));
    ObjectNode nul = claimedTree();
    nul.putNull("payload");
    assertUndecodable(bytes(nul));
  }

  @Test
  void decode_rejectsABadOccurredAt() {
    ObjectNode n = claimedTree();
    n.put("occurred_at", "2025-06-02 09:15");
    assertUndecodable(bytes(n));
    ObjectNode number = claimedTree();
    number.put("occurred_at", 1_748_855_730L);
    assertUndecodable(bytes(number));
  }

  @Test
  void decode_rejectsABadEventId_orAWrongTypedPayloadField() {
    ObjectNode id = claimedTree();
    id.put("event_id", "42");
    assertUndecodable(bytes(id));
    ObjectNode deadline = claimedTree();
    ((ObjectNode) deadline.get("payload")).put("budget_deadline", "soon");
    assertUndecodable(bytes(deadline));
  }

  @Test
  void decode_acceptsUnknownFields_writtenByANewerVersion() {
    ObjectNode n = claimedTree();
    ((ObjectNode) n.get("payload")).put("lease_seconds", 90);
    n.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    Envelope e = EventCodec.decode(bytes(n));
    assertThat(e.payload())
        .isEqualTo(new TaskClaimed("node-a", Instant.parse("2025-06-02T10:00:30.123Z")));

    ObjectNode submitted = EventCodec.toTree(wrap(new TaskSubmitted(Samples.fullSpec())));
    ((ObjectNode) submitted.get("payload").get("task")).put("estimated_tokens", 50_000);
    assertThat(EventCodec.decode(bytes(submitted)).payload())
        .isEqualTo(new TaskSubmitted(Samples.fullSpec()));
  }

  @Test
  void decode_bindsAPayloadThatComesBeforeItsType() {
    ObjectNode n = claimedTree();
    ObjectNode reordered = payloadFirst(n);
    Envelope e = EventCodec.decode(bytes(reordered));
    assertThat(e.payload())
        .isEqualTo(new TaskClaimed("node-a", Instant.parse("2025-06-02T10:00:30.123Z")));
    assertThat(canonical(e)).isEqualTo(canonical(EventCodec.decode(bytes(n))));
  }

  @Test
  void decode_rejectsTrailingContent_andNonTextEnvelopeFields() {
    assertUndecodable((claimedTree().toString() + " {}").getBytes(UTF_8));
    ObjectNode type = claimedTree();
    type.putArray("type").add("task.claimed");
    assertUndecodable(bytes(type));
    ObjectNode aggregateId = claimedTree();
    aggregateId.put("aggregate_id", 7);
    assertUndecodable(bytes(aggregateId));
    ObjectNode badId = claimedTree();
    badId.put("aggregate_id", "a.b");
    assertUndecodable(bytes(badId));
  }

  /** {@code n} with its payload moved before every other field, {@code type} included. */
  private static ObjectNode payloadFirst(ObjectNode n) {
    ObjectNode reordered = Json.mapper().createObjectNode();
    reordered.set("payload", n.get("payload"));
    n.properties().forEach(e -> reordered.set(e.getKey(), e.getValue()));
    return reordered;
  }

  private static ObjectNode claimedTree() {
    return EventCodec.toTree(
        wrap(new TaskClaimed("node-a", Instant.parse("2025-06-02T10:00:30.123Z"))));
  }

  private static byte[] bytes(JsonNode n) {
    return n.toString().getBytes(UTF_8);
  }

  private static void assertUndecodable(byte[] data) {
    assertThatThrownBy(() -> EventCodec.decode(data)).isInstanceOf(UndecodableEventException.class);
  }
}
