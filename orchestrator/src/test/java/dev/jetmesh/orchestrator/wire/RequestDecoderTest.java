package dev.jetmesh.orchestrator.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.wire.TaskRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decoder's error messages: each says what is wrong and, where there is one, which field. */
class RequestDecoderTest {

  private static JsonNode tree(String body) {
    return RequestDecoder.tree(body.getBytes(UTF_8));
  }

  private static <T> T bind(String body, Class<T> type) {
    return RequestDecoder.bind(tree(body), type);
  }

  private static String errorOf(Runnable r) {
    try {
      r.run();
    } catch (InvalidRequestException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an InvalidRequestException");
  }

  // ---- bodies --------------------------------------------------------------------------------

  @Test
  void emptyBody_isAnEmptyObject_asInTheReference() {
    assertThat(RequestDecoder.tree(new byte[0]).isObject()).isTrue();
    assertThat(RequestDecoder.tree(new byte[0]).size()).isZero();
    assertThat(RequestDecoder.tree(null).size()).isZero();
  }

  @Test
  void whitespaceBody_isAnEmptyObject() {
    assertThat(tree("  \n").size()).isZero();
  }

  @Test
  void emptyBody_bindsToAllNullFields() {
    TaskRequests.Claim c =
        RequestDecoder.bind(RequestDecoder.tree(new byte[0]), TaskRequests.Claim.class);
    assertThat(c.nodeId()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{oops", "{\"task_id\":", "not json", "{\"a\":1,}", "\u0000"})
  void notJson_isInvalidJson(String body) {
    assertThat(errorOf(() -> tree(body))).startsWith("Invalid JSON: ");
  }

  @Test
  void trailingGarbage_isInvalidJson() {
    assertThat(errorOf(() -> tree("{} {}"))).startsWith("Invalid JSON: ");
  }

  /**
   * Found by the hostile-input generator: an unpaired surrogate was accepted, kept in the event,
   * and stored as {@code ?} by the database driver, so the read model differed from the stream.
   */
  @Test
  void unpairedSurrogates_becomeReplacementCharacters() {
    JsonNode n = tree("{\"a\":\"x\\ud800y\",\"b\":[\"\\udc00\"],\"c\":{\"d\":\"\\ud83d\\ude00\"}}");
    assertThat(n.path("a").textValue()).isEqualTo("x\uFFFDy");
    assertThat(n.path("b").get(0).textValue()).isEqualTo("\uFFFD");
    assertThat(n.path("c").path("d").textValue()).isEqualTo("\ud83d\ude00");
    assertThat(RequestDecoder.unpaired("\ude00\ud83d")).isTrue();
    assertThat(RequestDecoder.wellFormed("\ude00\ud83d")).isEqualTo("\uFFFD\uFFFD");
    // the parser refuses them in names itself
    assertThat(errorOf(() -> tree("{\"\\ud800\":1}"))).startsWith("Invalid JSON: ");
  }

  /** Found by the hostile-input generator: the reply named Jackson's classes and settings. */
  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1} {\"b\":2}", "{} []", "{} x", "{\"a\":1}}"})
  void invalidJson_namesNoJavaClass(String body) {
    assertThat(errorOf(() -> tree(body)))
        .startsWith("Invalid JSON: ")
        .doesNotContain("com.fasterxml", "java.", "DeserializationFeature", "`");
  }

  @Test
  void invalidJson_messageIsOneLine() {
    assertThat(errorOf(() -> tree("{oops"))).doesNotContain("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[1,2]", "[{\"task_id\":\"a\"}]", "\"text\"", "42", "true", "null"})
  void nonObjectJson_isRefused(String body) {
    assertThat(errorOf(() -> tree(body))).isEqualTo("Request body must be a JSON object");
  }

  // ---- fields --------------------------------------------------------------------------------

  @Test
  void nulCharacter_anywhere_isRefused_butAnEscapedBackslashUZeroIsText() {
    assertThat(errorOf(() -> tree("{\"a\":{\"b\":[\"x\",\"\\u0000\"]}}")))
        .isEqualTo("Field 'a.b[1]' must not contain a NUL character");
    assertThat(errorOf(() -> tree("{\"a\\u0000\":1}")))
        .isEqualTo("Field names must not contain a NUL character");
    assertThat(tree("{\"a\":\"\\\\u0000\"}").path("a").asText()).isEqualTo("\\u0000");
  }

  @Test
  void unknownField_isNamed() {
    assertThat(errorOf(() -> bind("{\"node_id\":\"n1\",\"bogus\":1}", TaskRequests.Claim.class)))
        .isEqualTo("Unknown field 'bogus'");
  }

  @Test
  void camelCaseField_isUnknown_wireIsSnakeCase() {
    assertThat(errorOf(() -> bind("{\"nodeId\":\"n1\"}", TaskRequests.Claim.class)))
        .isEqualTo("Unknown field 'nodeId'");
  }

  @Test
  void stringForInteger_isWrongType() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"title\":\"t\",\"budget_minutes\":\"10\"}",
                        TaskRequests.Submit.class)))
        .isEqualTo("Field 'budget_minutes' has the wrong type: expected integer");
  }

  @Test
  void floatForInteger_isWrongType() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"title\":\"t\",\"priority\":1.5}",
                        TaskRequests.Submit.class)))
        .isEqualTo("Field 'priority' has the wrong type: expected integer");
  }

  @Test
  void numberForString_isWrongType() {
    assertThat(errorOf(() -> bind("{\"task_id\":42}", TaskRequests.Ref.class)))
        .isEqualTo("Field 'task_id' has the wrong type: expected string");
  }

  @Test
  void booleanForString_isWrongType() {
    assertThat(errorOf(() -> bind("{\"node_id\":true}", TaskRequests.Claim.class)))
        .isEqualTo("Field 'node_id' has the wrong type: expected string");
  }

  @Test
  void objectForString_isWrongType() {
    assertThat(
            errorOf(
                () -> bind("{\"task_id\":\"a\",\"title\":{\"x\":1}}", TaskRequests.Submit.class)))
        .isEqualTo("Field 'title' has the wrong type: expected string");
  }

  @Test
  void arrayForString_isWrongType() {
    assertThat(errorOf(() -> bind("{\"task_id\":[\"a\"]}", TaskRequests.Ref.class)))
        .isEqualTo("Field 'task_id' has the wrong type: expected string");
  }

  @Test
  void stringForBoolean_isWrongType() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"keep\":\"true\"}", TaskRequests.RecordAttempt.class)))
        .isEqualTo("Field 'keep' has the wrong type: expected boolean");
  }

  @Test
  void numberForBoolean_isWrongType() {
    assertThat(
            errorOf(() -> bind("{\"task_id\":\"a\",\"keep\":1}", TaskRequests.RecordAttempt.class)))
        .isEqualTo("Field 'keep' has the wrong type: expected boolean");
  }

  @Test
  void stringForLong_isWrongType() {
    assertThat(
            errorOf(
                () -> bind("{\"task_id\":\"a\",\"claim_token\":\"7\"}", TaskRequests.Ref.class)))
        .isEqualTo("Field 'claim_token' has the wrong type: expected integer");
  }

  @Test
  void stringForArray_isWrongType() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"title\":\"t\",\"tags\":\"x\"}",
                        TaskRequests.Submit.class)))
        .isEqualTo("Field 'tags' has the wrong type: expected array");
  }

  @Test
  void numberInStringArray_isWrongType_withIndex() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"title\":\"t\",\"depends_on\":[\"b\",3]}",
                        TaskRequests.Submit.class)))
        .isEqualTo("Field 'depends_on[1]' has the wrong type: expected string");
  }

  @Test
  void stringForAttempts_isWrongType() {
    assertThat(
            errorOf(
                () -> bind("{\"task_id\":\"a\",\"attempts\":\"none\"}", TaskRequests.Fail.class)))
        .isEqualTo("Field 'attempts' has the wrong type: expected array");
  }

  @Test
  void wrongTypeInsideAttempt_namesNestedPath() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"attempts\":[{\"approach\":\"x\",\"keep\":\"no\"}]}",
                        TaskRequests.Fail.class)))
        .isEqualTo("Field 'attempts[0].keep' has the wrong type: expected boolean");
  }

  @Test
  void integerOutOfRange_isRefused_namingTheField() {
    assertThat(
            errorOf(
                () ->
                    bind(
                        "{\"task_id\":\"a\",\"title\":\"t\",\"priority\":100000000000000000000}",
                        TaskRequests.Submit.class)))
        .contains("priority");
  }

  @Test
  void nullFields_areAbsent() {
    TaskRequests.Submit s =
        bind(
            "{\"task_id\":\"a\",\"title\":\"t\",\"budget_minutes\":null,\"tags\":null}",
            TaskRequests.Submit.class);
    assertThat(s.budgetMinutes()).isNull();
    assertThat(s.tags()).isNull();
  }

  @Test
  void validRequest_binds() {
    TaskRequests.Ref r =
        bind(
            "{\"task_id\":\"a-1\",\"node_id\":\"n_1\",\"claim_token\":12}", TaskRequests.Ref.class);
    assertThat(r).isEqualTo(new TaskRequests.Ref("a-1", "n_1", 12L));
  }

  @Test
  void invalidRequestException_isWhatTheRouterRepliesWith() {
    assertThatThrownBy(() -> tree("[1]")).isInstanceOf(InvalidRequestException.class);
  }
}
