package dev.jetmesh.schema.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The collab words (mode, convergence type, vote) travel as the reference's lower-case strings, are
 * parsed when a request arrives, and an unknown word is refused naming the field and the allowed
 * words.
 */
class CollabWordsTest {

  // ---- wire names ------------------------------------------------------------------------------

  @Test
  void wireNames_areTheReferences() {
    assertThat(Arrays.stream(CollabMode.values()).map(CollabMode::wire))
        .containsExactly("parallel", "sequential", "review");
    assertThat(Arrays.stream(ConvergenceType.values()).map(ConvergenceType::wire))
        .containsExactly("unanimous", "majority", "coordinator", "metric");
    assertThat(Arrays.stream(Vote.values()).map(Vote::wire))
        .containsExactly("continue", "converged", "blocked");
  }

  @Test
  void fromWire_parsesEveryWireName_andToStringIsTheWireName() {
    for (CollabMode m : CollabMode.values()) {
      assertThat(CollabMode.fromWire(m.wire())).isSameAs(m);
      assertThat(m).hasToString(m.wire());
    }
    for (ConvergenceType t : ConvergenceType.values()) {
      assertThat(ConvergenceType.fromWire(t.wire())).isSameAs(t);
      assertThat(t).hasToString(t.wire());
    }
    for (Vote v : Vote.values()) {
      assertThat(Vote.fromWire(v.wire())).isSameAs(v);
      assertThat(ReflectionVote.fromWire(v.wire())).isSameAs(v);
      assertThat(v).hasToString(v.wire());
    }
  }

  @Test
  void json_usesTheWireName_bothWays() throws Exception {
    assertThat(Json.mapper().writeValueAsString(CollabMode.SEQUENTIAL)).isEqualTo("\"sequential\"");
    assertThat(Json.mapper().writeValueAsString(ConvergenceType.METRIC)).isEqualTo("\"metric\"");
    assertThat(Json.mapper().writeValueAsString(Vote.BLOCKED)).isEqualTo("\"blocked\"");
    assertThat(Json.mapper().readValue("\"review\"", CollabMode.class)).isSameAs(CollabMode.REVIEW);
    assertThat(Json.mapper().readValue("\"majority\"", ConvergenceType.class))
        .isSameAs(ConvergenceType.MAJORITY);
    assertThat(Json.mapper().readValue("\"converged\"", Vote.class)).isSameAs(Vote.CONVERGED);
  }

  // ---- unknown words are refused, naming the field and the allowed words -----------------------

  @Test
  void unknownConvergenceType_isRefused_namingTheAllowedTypes() {
    assertThatThrownBy(() -> ConvergenceType.fromWire("foo"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            "Invalid convergence.type 'foo': must be unanimous, majority, coordinator or metric");
  }

  @Test
  void unknownMode_isRefused_namingTheAllowedModes() {
    assertThatThrownBy(() -> CollabMode.fromWire("chaos"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid mode 'chaos': must be parallel, sequential or review");
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "CONVERGED", "Continue", "", " blocked", "parse_error"})
  void unknownVote_isRefused_namingTheAllowedVotes(String vote) {
    assertThatThrownBy(() -> Vote.fromWire(vote))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid vote '" + vote + "': must be continue, converged or blocked");
  }

  @Test
  void nullWord_isRefused_likeAnUnknownOne() {
    assertThatThrownBy(() -> CollabMode.fromWire(null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid mode 'null': must be parallel, sequential or review");
  }

  @Test
  void coordinatorVote_isConvergedOrContinue_only() {
    assertThat(Vote.coordinatorVote("converged")).isSameAs(Vote.CONVERGED);
    assertThat(Vote.coordinatorVote("continue")).isSameAs(Vote.CONTINUE);
    assertThatThrownBy(() -> Vote.coordinatorVote("blocked"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid vote 'blocked': must be converged or continue");
    assertThatThrownBy(() -> Vote.coordinatorVote(null))
        .hasMessage("Invalid vote 'null': must be converged or continue");
  }

  @Test
  void refusedValue_isClipped_inTheMessage() {
    String long_ = "x".repeat(100);
    assertThatThrownBy(() -> Vote.fromWire(long_))
        .hasMessage(
            "Invalid vote '" + "x".repeat(40) + "...': must be continue, converged or blocked");
  }

  @Test
  void json_refusesAnUnknownWord_withTheSameMessage() {
    assertThatThrownBy(() -> Json.mapper().readValue("\"foo\"", ConvergenceType.class))
        .isInstanceOf(JsonMappingException.class)
        .rootCause()
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            "Invalid convergence.type 'foo': must be unanimous, majority, coordinator or metric");
  }

  // ---- a reflection's vote ---------------------------------------------------------------------

  @Test
  void reflectionVote_ofAParsedReflection_mustBeAVote_continueByDefault() {
    assertThat(ReflectionVote.ofRequest(null, false)).isSameAs(Vote.CONTINUE);
    assertThat(ReflectionVote.ofRequest("blocked", false)).isSameAs(Vote.BLOCKED);
    assertThatThrownBy(() -> ReflectionVote.ofRequest("maybe", false))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid vote 'maybe': must be continue, converged or blocked");
  }

  @Test
  void reflectionVote_ofAFailedReflection_keepsWhatWasSent_parseErrorByDefault() {
    assertThat(ReflectionVote.ofRequest(null, true)).isEqualTo(ReflectionVote.Unparsed.PARSE_ERROR);
    assertThat(ReflectionVote.ofRequest("Maybe", true))
        .isEqualTo(new ReflectionVote.Unparsed("Maybe"));
    assertThat(ReflectionVote.ofRequest("converged", true)).isSameAs(Vote.CONVERGED);
    assertThatThrownBy(() -> ReflectionVote.ofRequest("x".repeat(65), true))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("vote is too long (max 64 characters)");
    assertThat(ReflectionVote.ofRequest("x".repeat(64), true).wire()).hasSize(64);
  }

  @Test
  void reflection_thatParsed_cannotCarryAnUnparsedVote() {
    assertThatThrownBy(() -> reflection(new ReflectionVote.Unparsed("maybe"), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(reflection(new ReflectionVote.Unparsed("maybe"), true).vote().wire())
        .isEqualTo("maybe");
  }

  @Test
  void reflection_json_keepsTheVoteTextAsSent() throws Exception {
    for (ReflectionVote v :
        List.of(
            Vote.CONVERGED,
            ReflectionVote.Unparsed.PARSE_ERROR,
            new ReflectionVote.Unparsed("Maybe"))) {
      CollabReflection r = reflection(v, !(v instanceof Vote));
      JsonNode tree = Json.mapper().valueToTree(r);
      assertThat(tree.path("vote").asText()).isEqualTo(v.wire());
      assertThat(Json.mapper().treeToValue(tree, CollabReflection.class)).isEqualTo(r);
    }
  }

  private static CollabReflection reflection(ReflectionVote vote, boolean parseFailed) {
    return new CollabReflection(
        "n1", "s", "l", List.of(), 0.5, vote, parseFailed, null, null, null, Instant.EPOCH);
  }

  // ---- the collaboration spec ------------------------------------------------------------------

  @Test
  void spec_parsesTheWords_withTheReferenceDefaults() throws Exception {
    CollabSpec none = CollabSpec.parse(Json.mapper().readTree("{}"));
    assertThat(none.mode()).isSameAs(CollabMode.PARALLEL);
    assertThat(none.convergence().type()).isSameAs(ConvergenceType.UNANIMOUS);
    CollabSpec some =
        CollabSpec.parse(
            Json.mapper()
                .readTree("{\"mode\":\"review\",\"convergence\":{\"type\":\"coordinator\"}}"));
    assertThat(some.mode()).isSameAs(CollabMode.REVIEW);
    assertThat(some.convergence().type()).isSameAs(ConvergenceType.COORDINATOR);
  }

  @Test
  void spec_refusesAnUnknownModeOrType_namingTheAllowedWords() {
    assertThatThrownBy(() -> CollabSpec.parse(Json.mapper().readTree("{\"mode\":\"chaos\"}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid collaboration spec: mode must be parallel, sequential or review");
    assertThatThrownBy(
            () -> CollabSpec.parse(Json.mapper().readTree("{\"convergence\":{\"type\":\"foo\"}}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            "Invalid collaboration spec: convergence.type must be unanimous, majority,"
                + " coordinator or metric");
  }
}
