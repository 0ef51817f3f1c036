package dev.jetmesh.orchestrator.testing.hostile;

import static java.util.Objects.requireNonNull;

/**
 * The orchestrator process under attack and where its state lives.
 *
 * @param natsUrl the NATS server it serves on
 * @param httpBase its HTTP API, e.g. {@code http://127.0.0.1:8080}
 * @param apiToken its {@code MESH_API_TOKEN}: sent on every HTTP probe but the authentication ones
 * @param pid its process id, for heap and resident-memory figures
 * @param dbUrl its database (JDBC URL), hashed before and after
 * @param stream its event stream, whose subjects are counted before and after
 * @param maxRequestBytes its {@code MESH_MAX_REQUEST_BYTES}, for the probes at the size limit
 */
public record HostileTarget(
    String natsUrl,
    String httpBase,
    String apiToken,
    long pid,
    String dbUrl,
    String dbUser,
    String dbPassword,
    String stream,
    int maxRequestBytes) {
  public HostileTarget {
    requireNonNull(natsUrl, "null natsUrl");
    requireNonNull(httpBase, "null httpBase");
    requireNonNull(apiToken, "null apiToken");
    requireNonNull(dbUrl, "null dbUrl");
    requireNonNull(stream, "null stream");
  }
}
