package dev.jetmesh.orchestrator.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The node slice's settings. Immutable; {@link #toString()} never shows the secret.
 *
 * @param joinSecret {@code MESH_JOIN_SECRET}: the HMAC-SHA256 key of join tokens; null when unset,
 *     and nodes then join without a token
 * @param staleAfter {@code MESH_NODE_STALE_SECONDS} (90): silence after which a joined node is
 *     stale
 * @param strictClaims {@code MESH_STRICT_CLAIMS} (true): {@code start}, {@code attempt}, {@code
 *     heartbeat}, {@code complete}, {@code fail} and {@code release} must carry {@code node_id} and
 *     the task's current {@code claim_token}; false accepts the reference agent, which sends
 *     neither (docs/security.md)
 */
public record NodeSettings(@Nullable String joinSecret, Duration staleAfter, boolean strictClaims) {
  /** Shortest accepted secret: 32 characters, e.g. {@code openssl rand -hex 32} gives 64. */
  public static final int MIN_SECRET_LENGTH = 32;

  /** True when joins must present a valid token. */
  public boolean tokensRequired() {
    return joinSecret != null;
  }

  @Override
  public String toString() {
    return "NodeSettings[joinSecret="
        + (joinSecret == null ? "unset" : "(set)")
        + ", staleAfter="
        + staleAfter
        + ", strictClaims="
        + strictClaims
        + "]";
  }
}
