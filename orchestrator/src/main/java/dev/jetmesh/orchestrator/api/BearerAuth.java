package dev.jetmesh.orchestrator.api;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Runs before every route when {@code MESH_API_TOKEN} is set: the request must carry {@code
 * Authorization: Bearer <token>}, else 401 {@code UNAUTHORIZED} with {@code WWW-Authenticate:
 * Bearer}. Paths in {@code open} ({@code /health}, for liveness probes) need nothing; paths in
 * {@code queryToken} also accept {@code ?access_token=} (a browser's EventSource cannot set
 * headers). Tokens are compared by their SHA-256 digests with {@link MessageDigest#isEqual}, so the
 * time taken says nothing about the token, not even its length. Thread-safe.
 */
final class BearerAuth implements Handler {
  private static final String PREFIX = "Bearer ";

  /** A missing or wrong token. */
  static final class UnauthorizedException extends MeshException {
    UnauthorizedException(String message) {
      super(ErrorCode.UNAUTHORIZED, message);
    }
  }

  private final byte[] digest;
  private final Set<String> open;
  private final Set<String> queryToken;

  BearerAuth(String token, Set<String> open, Set<String> queryToken) {
    this.digest = sha256(token);
    this.open = Set.copyOf(open);
    this.queryToken = Set.copyOf(queryToken);
  }

  @Override
  public void handle(Context ctx) {
    if (open.contains(ctx.path())) {
      return;
    }
    String given = bearer(ctx.header("Authorization"));
    if (given == null && queryToken.contains(ctx.path())) {
      given = ctx.queryParam("access_token");
    }
    if (given == null) {
      throw new UnauthorizedException(
          "This API needs a token: send Authorization: Bearer <MESH_API_TOKEN>");
    }
    if (!MessageDigest.isEqual(sha256(given), digest)) {
      throw new UnauthorizedException("The token is not valid");
    }
  }

  private static @Nullable String bearer(@Nullable String header) {
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    return header.substring(PREFIX.length()).strip();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
