package dev.jetmesh.worker.collab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** REFERENCE.md section 4.9, case by case. */
class ReflectionParserTest {
  private static final String J = "```json\n";
  private static final String E = "\n```";

  private static Reflection ok(String summary, String learnings, double c, String vote) {
    return new Reflection(summary, learnings, c, vote, false);
  }

  private static Reflection failed(String summary, String learnings, double c, String vote) {
    return new Reflection(summary, learnings, c, vote, true);
  }

  static Stream<Arguments> jsonBlocks() {
    return Stream.of(
        Arguments.of(
            "wrapped in reflection",
            "work done\n"
                + J
                + "{\"reflection\":{\"summary\":\"s\",\"learnings\":\"l\",\"confidence\":0.9,"
                + "\"vote\":\"converged\"}}"
                + E,
            ok("s", "l", 0.9, "converged")),
        Arguments.of(
            "bare object",
            J
                + "{\"summary\":\"s\",\"learnings\":\"l\",\"confidence\":0.2,\"vote\":\"continue\"}"
                + E,
            ok("s", "l", 0.2, "continue")),
        Arguments.of(
            "vote lower-cased",
            J + "{\"summary\":\"s\",\"confidence\":1,\"vote\":\"BLOCKED\"}" + E,
            ok("s", "", 1.0, "blocked")),
        Arguments.of(
            "confidence bounds inclusive",
            J + "{\"summary\":\"s\",\"confidence\":0,\"vote\":\"continue\"}" + E,
            ok("s", "", 0.0, "continue")),
        Arguments.of(
            "last block wins",
            J
                + "{\"summary\":\"first\",\"confidence\":0.1,\"vote\":\"continue\"}"
                + E
                + "\nmore\n"
                + J
                + "{\"summary\":\"second\",\"confidence\":0.7,\"vote\":\"converged\"}"
                + E,
            ok("second", "", 0.7, "converged")),
        Arguments.of(
            "spaces before the newline after json",
            "```json   \n{\"summary\":\"s\",\"confidence\":0.5,\"vote\":\"continue\"}```",
            ok("s", "", 0.5, "continue")),
        Arguments.of(
            "non-string summary and learnings become empty",
            J
                + "{\"summary\":\"x\",\"learnings\":[1],\"confidence\":0.5,\"vote\":\"continue\","
                + "\"summary\":42}"
                + E,
            ok("", "", 0.5, "continue")),
        Arguments.of(
            "reflection falsy (null) reads the outer object",
            J
                + "{\"reflection\":null,\"summary\":\"outer\",\"confidence\":0.4,\"vote\":\"continue\"}"
                + E,
            ok("outer", "", 0.4, "continue")),
        Arguments.of(
            "reflection falsy (empty string) reads the outer object",
            J
                + "{\"reflection\":\"\",\"summary\":\"outer\",\"confidence\":0.4,\"vote\":\"continue\"}"
                + E,
            ok("outer", "", 0.4, "continue")),
        Arguments.of(
            "reflection falsy (0) reads the outer object",
            J
                + "{\"reflection\":0,\"summary\":\"outer\",\"confidence\":0.4,\"vote\":\"continue\"}"
                + E,
            ok("outer", "", 0.4, "continue")),
        Arguments.of(
            "reflection truthy non-object: nothing readable",
            "tail text"
                + J
                + "{\"reflection\":\"yes\",\"confidence\":0.4,\"vote\":\"continue\"}"
                + E,
            failed(
                "tail text"
                    + J
                    + "{\"reflection\":\"yes\",\"confidence\":0.4,\"vote\":\"continue\"}"
                    + E,
                "",
                0.5,
                "parse_error")),
        Arguments.of(
            "invalid vote: parse_error, valid confidence kept, summary kept",
            J + "{\"summary\":\"s\",\"confidence\":0.8,\"vote\":\"maybe\"}" + E,
            failed("s", "", 0.8, "parse_error")),
        Arguments.of(
            "confidence above 1: 0.5, valid vote kept",
            J + "{\"summary\":\"s\",\"confidence\":1.5,\"vote\":\"converged\"}" + E,
            failed("s", "", 0.5, "converged")),
        Arguments.of(
            "negative confidence",
            J + "{\"summary\":\"s\",\"confidence\":-0.1,\"vote\":\"continue\"}" + E,
            failed("s", "", 0.5, "continue")),
        Arguments.of(
            "confidence as a string is not a number",
            J + "{\"summary\":\"s\",\"confidence\":\"0.9\",\"vote\":\"continue\"}" + E,
            failed("s", "", 0.5, "continue")),
        Arguments.of(
            "overflowing confidence",
            J + "{\"summary\":\"s\",\"confidence\":1e400,\"vote\":\"continue\"}" + E,
            failed("s", "", 0.5, "continue")),
        Arguments.of(
            "vote not a string",
            J + "{\"summary\":\"s\",\"confidence\":0.3,\"vote\":true}" + E,
            failed("s", "", 0.3, "parse_error")),
        Arguments.of(
            "missing vote and confidence, summary falls back to the output",
            "did things\n" + J + "{\"learnings\":\"l\"}" + E,
            failed("did things\n" + J + "{\"learnings\":\"l\"}" + E, "l", 0.5, "parse_error")),
        Arguments.of(
            "a JSON number: nothing readable",
            J + "5" + E,
            failed(J + "5" + E, "", 0.5, "parse_error")),
        Arguments.of(
            "an array: nothing readable",
            J + "[]" + E,
            failed(J + "[]" + E, "", 0.5, "parse_error")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jsonBlocks")
  void jsonBlock(String name, String output, Reflection expected) {
    assertThat(ReflectionParser.parse(output)).isEqualTo(expected);
  }

  static Stream<Arguments> legacyBlocks() {
    return Stream.of(
        Arguments.of(
            "all four lines",
            "text\nREFLECTION_START\nSUMMARY: did it\nLEARNINGS: learnt\nCONFIDENCE: 0.7\n"
                + "VOTE: Converged\nREFLECTION_END\n",
            ok("did it", "learnt", 0.7, "converged")),
        Arguments.of(
            "confidence NaN becomes 0.5",
            "REFLECTION_START\nSUMMARY: s\nCONFIDENCE: high\nVOTE: continue\nREFLECTION_END",
            ok("s", "", 0.5, "continue")),
        Arguments.of(
            "confidence parseFloat prefix",
            "REFLECTION_START\nCONFIDENCE: 0.25 (fairly low)\nVOTE: blocked\nREFLECTION_END",
            ok("", "", 0.25, "blocked")),
        Arguments.of(
            "confidence outside [0,1] is kept; only the vote fails a legacy block",
            "REFLECTION_START\nCONFIDENCE: 7\nVOTE: continue\nREFLECTION_END",
            ok("", "", 7.0, "continue")),
        Arguments.of(
            "missing confidence is 0.5",
            "REFLECTION_START\nSUMMARY: s\nVOTE: continue\nREFLECTION_END",
            ok("s", "", 0.5, "continue")),
        Arguments.of(
            "invalid vote fails",
            "REFLECTION_START\nSUMMARY: s\nCONFIDENCE: 0.9\nVOTE: ship it\nREFLECTION_END",
            failed("s", "", 0.9, "parse_error")),
        Arguments.of(
            "missing vote fails",
            "REFLECTION_START\nSUMMARY: s\nREFLECTION_END",
            failed("s", "", 0.5, "parse_error")),
        Arguments.of(
            "first legacy block is read",
            "REFLECTION_START\nVOTE: continue\nREFLECTION_END\nREFLECTION_START\nVOTE: converged\n"
                + "REFLECTION_END",
            ok("", "", 0.5, "continue")),
        Arguments.of(
            "invalid JSON block falls back to the legacy block",
            J
                + "{\"summary\": oops}"
                + E
                + "\nREFLECTION_START\nSUMMARY: legacy\nCONFIDENCE: 0.6\nVOTE: converged\n"
                + "REFLECTION_END",
            ok("legacy", "", 0.6, "converged")),
        Arguments.of(
            "JSON null falls back to the legacy block",
            J + "null" + E + "\nREFLECTION_START\nVOTE: blocked\nREFLECTION_END",
            ok("", "", 0.5, "blocked")),
        Arguments.of(
            "trailing garbage after the JSON is invalid JSON",
            J
                + "{\"summary\":\"s\",\"confidence\":0.5,\"vote\":\"continue\"} extra"
                + E
                + "\nREFLECTION_START\nVOTE: blocked\nREFLECTION_END",
            ok("", "", 0.5, "blocked")),
        Arguments.of(
            "valid JSON wins over a legacy block",
            "REFLECTION_START\nVOTE: blocked\nREFLECTION_END\n"
                + J
                + "{\"summary\":\"j\",\"confidence\":0.5,\"vote\":\"continue\"}"
                + E,
            ok("j", "", 0.5, "continue")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("legacyBlocks")
  void legacyBlock(String name, String output, Reflection expected) {
    assertThat(ReflectionParser.parse(output)).isEqualTo(expected);
  }

  @Test
  void noBlock_isParseError_withTheLast300Characters() {
    String output = "x".repeat(500) + "THE END";
    assertThat(ReflectionParser.parse(output))
        .isEqualTo(failed(output.substring(output.length() - 300), "", 0.5, "parse_error"));
  }

  @Test
  void noBlock_shortOutput_isAllOfIt() {
    assertThat(ReflectionParser.parse("short")).isEqualTo(failed("short", "", 0.5, "parse_error"));
    assertThat(ReflectionParser.parse(null)).isEqualTo(failed("", "", 0.5, "parse_error"));
  }

  @Test
  void invalidJsonAndNoLegacy_isParseError() {
    String output = "```json\n{not json}\n```";
    assertThat(ReflectionParser.parse(output)).isEqualTo(failed(output, "", 0.5, "parse_error"));
  }

  @Test
  void unclosedJsonFence_isNoBlock() {
    String output = "```json\n{\"summary\":\"s\",\"confidence\":0.5,\"vote\":\"continue\"}";
    assertThat(ReflectionParser.parse(output).parseFailed()).isTrue();
  }

  @Test
  void fallbackSummary_neverStartsWithHalfASurrogatePair() {
    String output = "a".repeat(10) + "😀" + "b".repeat(299);
    String s = ReflectionParser.fallbackSummary(output);
    assertThat(s).isEqualTo("b".repeat(299));
  }

  @Test
  void parseFloat_behavesLikeJavaScript() {
    assertThat(ReflectionParser.parseFloat(".5")).isEqualTo(0.5);
    assertThat(ReflectionParser.parseFloat("1e-1x")).isEqualTo(0.1);
    assertThat(ReflectionParser.parseFloat("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(ReflectionParser.parseFloat("  3.")).isEqualTo(3.0);
    assertThat(ReflectionParser.parseFloat("abc")).isNaN();
    assertThat(ReflectionParser.parseFloat("")).isNaN();
  }

  @Test
  void wireConfidence_isClampedIntoTheUnitInterval() {
    assertThat(ok("", "", 7, "continue").wireConfidence()).isEqualTo(1.0);
    assertThat(ok("", "", -2, "continue").wireConfidence()).isEqualTo(0.0);
    assertThat(ok("", "", Double.NaN, "continue").wireConfidence()).isEqualTo(0.5);
    assertThat(ok("", "", 0.3, "continue").wireConfidence()).isEqualTo(0.3);
  }
}
