package dev.jetmesh.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The join token a worker presents to {@code mesh.nodes.join}, in the reference mesh's format:
 * {@code base64url({"p": payload, "s": hex(HMAC-SHA256(secret, JSON(p)))})}. {@code JSON(p)} is the
 * payload as compact JSON with its fields in the order they appear in the token, so a verifier
 * needs no knowledge of how the issuer ordered them. The reference signed its tokens but never
 * checked the signature; {@link #verify} does, in constant time, and checks the expiry. Stateless
 * and thread-safe.
 */
public final class JoinToken {
  /** The payload version jetmesh issues (the reference issued 2 and 3; 3 is accepted as is). */
  public static final int VERSION = 3;

  private static final String HMAC = "HmacSHA256";
  private static final Pattern EXPIRY = Pattern.compile("(\\d{1,6})([mhd])");
  private static final ObjectReader TOLERANT =
      Json.mapper().reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JoinToken() {}

  /**
   * What a token says.
   *
   * @param v payload version (2 or 3)
   * @param nats the mesh's NATS URL, for the worker to connect to
   * @param role {@code worker} by default
   * @param provider the LLM provider the node should use ({@code claude} by default)
   * @param repo the repository to clone, or null
   * @param lead the lead node, or null
   * @param id the token's own id, recorded in {@code node.joined} (jetmesh addition)
   */
  public record Payload(
      int v,
      String nats,
      String role,
      String provider,
      @Nullable String repo,
      @Nullable String lead,
      Instant issued,
      @Nullable Instant expires,
      @Nullable String id) {}

  /** The token is malformed, forged, tampered with or expired. */
  public static final class InvalidTokenException extends MeshException {
    public InvalidTokenException(String message) {
      super(ErrorCode.UNAUTHORIZED, message);
    }
  }

  /** Signs {@code payload} with {@code secret}: the token to hand to a worker. */
  public static String sign(Payload payload, byte[] secret) {
    requireNonNull(payload, "null payload");
    ObjectNode p = Json.mapper().valueToTree(payload);
    ObjectNode token = Json.mapper().createObjectNode();
    token.set("p", p);
    token.put("s", HexFormat.of().formatHex(mac(secret, canonical(p))));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(canonical(token));
  }

  /**
   * The payload of {@code token} once its signature and expiry are checked.
   *
   * @throws InvalidTokenException when the token is malformed, its signature does not match (forged
   *     or any field altered), its version is unknown, or it expired at or before {@code now}
   */
  public static Payload verify(String token, byte[] secret, Instant now) {
    JsonNode t = parse(token);
    JsonNode p = t.get("p");
    byte[] given;
    try {
      given = HexFormat.of().parseHex(t.get("s").asText());
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("Join token signature is not valid: forged or altered");
    }
    // Constant time, so a forger learns nothing from how long a refusal takes.
    if (!MessageDigest.isEqual(mac(secret, canonical(p)), given)) {
      throw new InvalidTokenException("Join token signature is not valid: forged or altered");
    }
    Payload payload = bind(p);
    if (payload.v() != 2 && payload.v() != VERSION) {
      throw new InvalidTokenException("Join token version " + payload.v() + " is not supported");
    }
    if (payload.expires() == null || !now.isBefore(payload.expires())) {
      throw new InvalidTokenException("Join token expired at " + payload.expires());
    }
    return payload;
  }

  /**
   * The payload of {@code token} without checking it, for a worker that needs the NATS URL before
   * it can reach the orchestrator (which checks the token when the worker joins).
   */
  public static Payload read(String token) {
    return bind(parse(token).get("p"));
  }

  /**
   * An expiry in the reference's format: a number and a unit, {@code m} (minutes), {@code h} or
   * {@code d}, e.g. {@code 48h}.
   *
   * @throws InvalidRequestException when it is not one, or is zero
   */
  public static Duration expiry(String text) {
    Matcher m = EXPIRY.matcher(text == null ? "" : text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new InvalidRequestException(
          "Expiry must be a positive number followed by m, h or d (e.g. 48h): " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static JsonNode parse(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException("Join token is malformed: empty");
    }
    JsonNode t;
    try {
      t = Json.mapper().readTree(Base64.getUrlDecoder().decode(token.trim()));
    } catch (IllegalArgumentException | IOException e) {
      throw new InvalidTokenException("Join token is malformed: not base64url JSON");
    }
    if (t == null
        || !t.isObject()
        || !(t.get("p") instanceof ObjectNode)
        || t.get("s") == null
        || !t.get("s").isTextual()) {
      throw new InvalidTokenException("Join token is malformed: expected {\"p\":{…},\"s\":\"…\"}");
    }
    return t;
  }

  private static Payload bind(JsonNode p) {
    try {
      return TOLERANT.treeToValue(p, Payload.class);
    } catch (JsonProcessingException e) {
      throw new InvalidTokenException("Join token payload is malformed: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("Join token payload is malformed: " + e.getMessage());
    }
  }

  private static byte[] canonical(JsonNode n) {
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static byte[] mac(byte[] secret, byte[] data) {
    requireNonNull(secret, "null secret");
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret, HMAC));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** The UTF-8 bytes of a configured secret, as the HMAC key. */
  public static byte[] key(String secret) {
    return requireNonNull(secret, "null secret").getBytes(UTF_8);
  }
}
