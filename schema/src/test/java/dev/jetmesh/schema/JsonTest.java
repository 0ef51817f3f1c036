package dev.jetmesh.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one mapper is strict: no coercion between JSON kinds, no unknown fields, ISO instants. */
class JsonTest {
  record Sample(String name, int count, Integer limit, boolean keep, Instant at) {}

  private static Sample read(String json) throws Exception {
    return Json.mapper().readValue(json, Sample.class);
  }

  @Test
  void reads_aWellTypedObject_withSnakeCaseNames() throws Exception {
    record Named(String taskId, int budgetMinutes) {}
    assertThat(Json.mapper().readValue("{\"task_id\":\"t1\",\"budget_minutes\":30}", Named.class))
        .isEqualTo(new Named("t1", 30));
    assertThat(
            read(
                "{\"name\":\"a\",\"count\":3,\"limit\":null,\"keep\":true,\"at\":\"2025-06-02T09:15:30Z\"}"))
        .isEqualTo(new Sample("a", 3, null, true, Instant.parse("2025-06-02T09:15:30Z")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"count\":\"5\"}", "{\"limit\":\"5\"}", "{\"count\":true}", "{\"count\":5.5}"})
  void rejects_aNonInteger_whereAnIntIsExpected(String json) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(MismatchedInputException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"name\":5}", "{\"name\":1.5}", "{\"name\":true}"})
  void rejects_aScalarOfAnotherKind_whereAStringIsExpected(String json) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(MismatchedInputException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"keep\":\"true\"}", "{\"keep\":1}"})
  void rejects_aNonBoolean_whereABooleanIsExpected(String json) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void rejects_nullForAPrimitive() {
    assertThatThrownBy(() -> read("{\"count\":null}")).isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void rejects_anUnknownProperty() {
    assertThatThrownBy(() -> read("{\"name\":\"a\",\"count\":1,\"keep\":true,\"colour\":\"red\"}"))
        .isInstanceOfSatisfying(
            UnrecognizedPropertyException.class,
            e -> assertThat(e.getPropertyName()).isEqualTo("colour"));
  }

  @Test
  void rejects_aMissingPrimitive_insteadOfDefaultingIt() {
    assertThatThrownBy(() -> read("{\"name\":\"a\",\"keep\":true}"))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void rejects_trailingTokens() {
    assertThatThrownBy(() -> read("{\"count\":1,\"keep\":true} {}"))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void writes_instantsAsIso8601Strings_inUtc() throws Exception {
    Instant at = Instant.parse("2025-06-02T09:15:30.123Z");
    JsonNode n = Json.mapper().valueToTree(new Sample("a", 1, null, false, at));
    assertThat(n.get("at").isTextual()).isTrue();
    assertThat(n.get("at").asText()).isEqualTo("2025-06-02T09:15:30.123Z");
    assertThat(Json.mapper().writeValueAsString(Instant.parse("2025-06-02T09:15:30Z")))
        .isEqualTo("\"2025-06-02T09:15:30Z\"");
  }

  @Test
  void reads_isoInstantsWithAnOffset_asTheSameInstant() throws Exception {
    assertThat(Json.mapper().readValue("\"2025-06-02T11:15:30+02:00\"", Instant.class))
        .isEqualTo(Instant.parse("2025-06-02T09:15:30Z"));
  }

  @Test
  void writes_nullFields() throws Exception {
    assertThat(Json.mapper().writeValueAsString(new Sample(null, 1, null, false, null)))
        .isEqualTo("{\"name\":null,\"count\":1,\"limit\":null,\"keep\":false,\"at\":null}");
  }
}
