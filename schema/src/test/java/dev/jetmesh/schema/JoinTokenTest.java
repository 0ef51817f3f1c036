package dev.jetmesh.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.JoinToken.InvalidTokenException;
import dev.jetmesh.schema.JoinToken.Payload;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Join tokens: what {@link JoinToken#sign} issues verifies until it expires; a token signed with
 * another secret, or with any payload field changed after signing, is refused with {@code
 * UNAUTHORIZED}.
 */
class JoinTokenTest {
  private static final byte[] SECRET = JoinToken.key("0123456789abcdef0123456789abcdef-secret");
  private static final Instant ISSUED = Instant.parse("2025-06-02T09:00:00Z");
  private static final Payload PAYLOAD =
      new Payload(
          JoinToken.VERSION,
          "nats://mesh.example:4222",
          "worker",
          "claude",
          "git@example.com:acme/app.git",
          null,
          ISSUED,
          ISSUED.plus(Duration.ofHours(48)),
          "tok-1");

  @Test
  void aSignedToken_verifies_andCarriesItsPayload() {
    String token = JoinToken.sign(PAYLOAD, SECRET);

    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(JoinToken.verify(token, SECRET, ISSUED.plusSeconds(60))).isEqualTo(PAYLOAD);
    assertThat(JoinToken.read(token).nats()).isEqualTo("nats://mesh.example:4222");
  }

  @Test
  void aTokenSignedWithAnotherSecret_isForged() {
    String token = JoinToken.sign(PAYLOAD, JoinToken.key("another-secret-another-secret-0000"));

    assertRefused(token, ISSUED, "signature is not valid");
  }

  @Test
  void aToken_expires_atItsExpiry() {
    String token = JoinToken.sign(PAYLOAD, SECRET);

    assertThat(JoinToken.verify(token, SECRET, PAYLOAD.expires().minusMillis(1))).isNotNull();
    assertRefused(token, PAYLOAD.expires(), "expired at 2025-06-04T09:00:00Z");
    assertRefused(token, PAYLOAD.expires().plusSeconds(3600), "expired");
  }

  @Test
  void changingAnyPayloadField_afterSigning_breaksTheSignature() {
    String token = JoinToken.sign(PAYLOAD, SECRET);
    assertRefused(tamper(token, p -> p.put("nats", "nats://evil:4222")), ISSUED, "not valid");
    assertRefused(tamper(token, p -> p.put("expires", "2099-01-01T00:00:00Z")), ISSUED, "valid");
    assertRefused(tamper(token, p -> p.put("role", "lead")), ISSUED, "not valid");
    assertRefused(tamper(token, p -> p.put("id", "tok-2")), ISSUED, "not valid");
    assertRefused(tamper(token, p -> p.put("extra", true)), ISSUED, "not valid");
  }

  @Test
  void anAlteredSignature_isRefused() {
    ObjectNode t = decode(JoinToken.sign(PAYLOAD, SECRET));
    String s = t.get("s").asText();
    t.put("s", (s.charAt(0) == 'a' ? "b" : "a") + s.substring(1));
    assertRefused(encode(t), ISSUED, "not valid");
    t.put("s", "not hex");
    assertRefused(encode(t), ISSUED, "not valid");
  }

  @Test
  void anIssuerThatOrdersFieldsDifferently_stillVerifies() throws Exception {
    // The reference's issuer wrote JSON(p) in its own field order: the signature covers the
    // payload exactly as it appears in the token.
    ObjectNode p = Json.mapper().createObjectNode();
    p.put("v", 2);
    p.put("nats", "nats://10.0.0.5:4222");
    p.put("role", "worker");
    p.put("provider", "claude");
    p.put("repo", "https://example.com/r.git");
    p.put("lead", "lead-node");
    p.put("issued", "2025-06-02T09:00:00Z");
    p.put("expires", "2025-06-03T09:00:00Z");
    p.put("ssh_pubkey", "ssh-ed25519 AAAA");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    ObjectNode t = Json.mapper().createObjectNode();
    t.set("p", p);
    t.put("s", HexFormat.of().formatHex(mac.doFinal(Json.mapper().writeValueAsBytes(p))));

    Payload got = JoinToken.verify(encode(t), SECRET, ISSUED);

    assertThat(got.v()).isEqualTo(2);
    assertThat(got.lead()).isEqualTo("lead-node");
    assertThat(got.id()).isNull();
  }

  @Test
  void garbage_isMalformed_andUnauthorized() {
    assertRefused("", ISSUED, "malformed");
    assertRefused("%%%", ISSUED, "malformed");
    assertRefused(
        Base64.getUrlEncoder().encodeToString("[1,2]".getBytes(UTF_8)), ISSUED, "malformed");
    assertRefused(
        Base64.getUrlEncoder().encodeToString("{\"p\":{}}".getBytes(UTF_8)), ISSUED, "malformed");
  }

  @Test
  void anUnknownVersion_isRefused_evenWhenSigned() {
    Payload v9 = new Payload(9, "nats://x:4222", "worker", "claude", null, null, ISSUED, null, "t");
    assertRefused(JoinToken.sign(v9, SECRET), ISSUED, "version 9 is not supported");
  }

  @Test
  void expiry_takesTheReferenceFormat() {
    assertThat(JoinToken.expiry("48h")).isEqualTo(Duration.ofHours(48));
    assertThat(JoinToken.expiry("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(JoinToken.expiry("30m")).isEqualTo(Duration.ofMinutes(30));
    for (String bad : new String[] {"0h", "48", "h", "2w", "-1d", "1.5h", ""}) {
      assertThatThrownBy(() -> JoinToken.expiry(bad))
          .as(bad)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  private static void assertRefused(String token, Instant now, String message) {
    assertThatThrownBy(() -> JoinToken.verify(token, SECRET, now))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((MeshException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }

  private static String tamper(String token, Consumer<ObjectNode> change) {
    ObjectNode t = decode(token);
    change.accept((ObjectNode) t.get("p"));
    return encode(t);
  }

  private static ObjectNode decode(String token) {
    try {
      return (ObjectNode) Json.mapper().readTree(Base64.getUrlDecoder().decode(token));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String encode(ObjectNode t) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(t.toString().getBytes(UTF_8));
  }
}
