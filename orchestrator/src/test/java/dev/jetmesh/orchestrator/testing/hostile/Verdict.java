package dev.jetmesh.orchestrator.testing.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.hostile.Probe.Expect;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What came back for one probe: the code it is counted under ({@code INVALID_REQUEST}, …, or {@code
 * OK}, {@code UNCODED}, {@code NO_REPLY}, {@code NOT_JSON}), and, when the reply is not the coded
 * refusal the probe expects, why it is a hole.
 */
record Verdict(String code, @Nullable String hole, String reply) {
  /** Text that only internals write: a stack frame, an exception class, a driver's message. */
  private static final Pattern INTERNALS =
      Pattern.compile(
          "Exception|\\tat |\\.java:\\d+|org\\.postgresql|SQLState|java\\.lang\\.|com\\.fasterxml"
              + "|io\\.nats\\.|io\\.javalin|org\\.eclipse\\.jetty|dev\\.jetmesh\\.");

  static final String NO_REPLY = "NO_REPLY";

  static Verdict noReply(String why) {
    return new Verdict(NO_REPLY, "no reply: " + why, "");
  }

  /** The client library would not send the probe: a mistake of the generator, reported as one. */
  static Verdict notSent(Exception e) {
    return new Verdict("NOT_SENT", "the client would not send it: " + e.getMessage(), "");
  }

  /** A wire reply: {@code {ok:false, error, code}}. */
  static Verdict wire(byte[] body, Expect e) {
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode n = parse(text);
    if (n == null || !n.isObject()) {
      return new Verdict("NOT_JSON", "reply is not a JSON object", text);
    }
    if (n.path("ok").asBoolean(false)) {
      return new Verdict("OK", "accepted", text);
    }
    return judge(n.path("code").asText(""), n.path("error").asText(""), text, e);
  }

  /** An HTTP reply: an error status with a problem+json body that has a code. */
  static Verdict http(int status, @Nullable String contentType, String text, Expect e) {
    if (status < 400) {
      return new Verdict("OK", "accepted with status " + status, text);
    }
    if (contentType == null || !contentType.startsWith("application/problem+json")) {
      return new Verdict("UNCODED", "status " + status + " without problem+json", text);
    }
    JsonNode n = parse(text);
    if (n == null || !n.isObject()) {
      return new Verdict("NOT_JSON", "status " + status + ", body is not JSON", text);
    }
    if (n.path("status").asInt() != status) {
      return new Verdict(n.path("code").asText("UNCODED"), "status field differs", text);
    }
    return judge(n.path("code").asText(""), n.path("detail").asText(""), text, e);
  }

  private static Verdict judge(String code, String detail, String text, Expect e) {
    if (code.isEmpty()) {
      return new Verdict("UNCODED", "refusal without a code", text);
    }
    ErrorCode c;
    try {
      c = ErrorCode.valueOf(code);
    } catch (IllegalArgumentException ex) {
      return new Verdict("UNCODED", "unknown code " + code, text);
    }
    if (INTERNALS.matcher(detail).find()) {
      return new Verdict(code, "internal text in the reply", text);
    }
    if (c.isFailure()) {
      return new Verdict(code, "a failure, not a refusal", text);
    }
    if (e.code() != null && e.code() != c) {
      return new Verdict(code, "expected " + e.code(), text);
    }
    if (e.detailPrefix() != null && detail.startsWith(e.detailPrefix()) == e.prefixBanned()) {
      return new Verdict(
          code, (e.prefixBanned() ? "refused as " : "not refused as ") + e.detailPrefix(), text);
    }
    return new Verdict(code, null, text);
  }

  private static @Nullable JsonNode parse(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (java.io.IOException ex) {
      return null;
    }
  }
}
