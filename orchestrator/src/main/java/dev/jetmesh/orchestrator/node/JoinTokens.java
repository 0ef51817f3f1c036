package dev.jetmesh.orchestrator.node;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.schema.JoinToken.InvalidTokenException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Checks the join tokens of {@code mesh.nodes.join} against {@code MESH_JOIN_SECRET}. Without a
 * secret the mesh is open: joins need no token, and a token sent anyway is not checked (there is
 * nothing to check it with). Immutable and thread-safe.
 */
final class JoinTokens {
  private final byte @Nullable [] secret;

  /**
   * @param secret the configured secret, or null for an open mesh
   */
  JoinTokens(@Nullable String secret) {
    this.secret = secret == null ? null : JoinToken.key(secret);
  }

  boolean required() {
    return secret != null;
  }

  /**
   * The id recorded in {@code node.joined} for a valid {@code token}: its own {@code id}, or, for a
   * token without one (issued by the reference), a digest of it. Null for an open mesh.
   *
   * @throws InvalidTokenException ({@code UNAUTHORIZED}) when the token is missing, malformed,
   *     forged, altered or expired
   */
  @Nullable String verify(@Nullable String token, Instant now) {
    if (secret == null) {
      return null;
    }
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException(
          "A join token is required: ask the operator for one (jetmesh join-token)");
    }
    JoinToken.Payload p = JoinToken.verify(token, secret, now);
    return p.id() != null ? p.id() : "sha256:" + digest(token).substring(0, 16);
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(token.strip().getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
