package dev.jetmesh.orchestrator.config;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API's settings. Immutable; {@link #toString()} never shows the token.
 *
 * @param host {@code MESH_HTTP_HOST}: the address to bind; null: {@code 0.0.0.0} when a token is
 *     set, else {@code 127.0.0.1} (an API without a token is not served to other hosts)
 * @param apiToken {@code MESH_API_TOKEN}: the bearer token every route but {@code /health} needs;
 *     null when unset
 * @param readyMaxLag {@code MESH_READY_MAX_LAG} (10000): {@code /ready} answers 503 while the read
 *     models are more events than this behind the stream
 * @param maxStreams {@code MESH_SSE_MAX_STREAMS} (100): concurrent {@code /api/events} streams;
 *     more are refused with 503
 * @param keepAlive {@code MESH_SSE_KEEPALIVE_SECONDS} (15): the longest silence on an event stream
 *     before a keep-alive comment
 */
public record HttpSettings(
    @Nullable String host,
    @Nullable String apiToken,
    long readyMaxLag,
    int maxStreams,
    Duration keepAlive) {
  /** Shortest accepted token: 16 characters, e.g. {@code openssl rand -hex 16} gives 32. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** Loopback: where the API is served when it has no token and no host is configured. */
  public static final String LOOPBACK = "127.0.0.1";

  static HttpSettings from(Map<String, String> env) {
    String host = env.get("MESH_HTTP_HOST");
    return new HttpSettings(
        host == null || host.isBlank() ? null : host.strip(),
        token(env.get("MESH_API_TOKEN")),
        OrchestratorConfig.intVar(env, "MESH_READY_MAX_LAG", 10_000, 0, Integer.MAX_VALUE),
        OrchestratorConfig.intVar(env, "MESH_SSE_MAX_STREAMS", 100, 1, 10_000),
        Duration.ofMillis(
            Math.round(
                OrchestratorConfig.doubleVar(env, "MESH_SSE_KEEPALIVE_SECONDS", 15, 0.05, 3600)
                    * 1000)));
  }

  /** The address to bind: {@link #host} when set, else loopback unless a token protects the API. */
  public String bindHost() {
    if (host != null) {
      return host;
    }
    return apiToken == null ? LOOPBACK : "0.0.0.0";
  }

  private static @Nullable String token(@Nullable String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.strip().length() < MIN_TOKEN_LENGTH) {
      // The value itself is never printed: it is a secret, even when too short to use.
      throw new OrchestratorConfig.ConfigException(
          "MESH_API_TOKEN must be at least "
              + MIN_TOKEN_LENGTH
              + " characters (e.g. openssl rand -hex 32)");
    }
    return v.strip();
  }

  @Override
  public String toString() {
    return "HttpSettings[host="
        + host
        + ", apiToken="
        + (apiToken == null ? "unset" : "(set)")
        + ", readyMaxLag="
        + readyMaxLag
        + ", maxStreams="
        + maxStreams
        + ", keepAlive="
        + keepAlive
        + "]";
  }
}
