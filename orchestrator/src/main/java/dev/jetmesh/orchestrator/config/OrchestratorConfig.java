package dev.jetmesh.orchestrator.config;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the orchestrator reads from its environment, with the reference's defaults. Immutable.
 *
 * @param natsUrl {@code MESH_NATS_URL}
 * @param dbUrl {@code MESH_DB_URL}, a JDBC URL
 * @param dbUser {@code MESH_DB_USER}
 * @param dbPassword {@code MESH_DB_PASSWORD}
 * @param httpPort {@code MESH_HTTP_PORT}; 0 picks a free port
 * @param stream {@code MESH_STREAM}
 * @param stallThreshold {@code MESH_STALL_MINUTES} (reference default 5 minutes)
 * @param budgetInterval {@code MESH_BUDGET_CHECK_SECONDS} (reference: 30 s)
 * @param stallInterval {@code MESH_STALL_CHECK_SECONDS} (reference: 30 s)
 * @param aliveTimeout {@code MESH_ALIVE_TIMEOUT_MS} (reference: 5 s)
 * @param maxRequestBytes {@code MESH_MAX_REQUEST_BYTES}: larger request bodies are refused
 * @param projectorBatch {@code MESH_PROJECTOR_BATCH}: events per projected transaction
 * @param projectorLinger {@code MESH_PROJECTOR_LINGER_MS}: how long the projector waits to fill a
 *     transaction after a fetch that brought events but not a full batch ({@link
 *     dev.jetmesh.orchestrator.projection.Batching})
 * @param sweepInterval {@code MESH_SWEEP_SECONDS} (2 s): how often reactors re-check open sessions
 *     and plans
 * @param collab the {@code MESH_COLLAB_*} settings
 * @param nodes {@code MESH_JOIN_SECRET}, {@code MESH_NODE_STALE_SECONDS} and {@code
 *     MESH_STRICT_CLAIMS}
 * @param natsInboxPrefix {@code MESH_NATS_INBOX_PREFIX}: null derives it from the URL's user
 *     ({@link dev.jetmesh.schema.NatsInbox})
 * @param http the HTTP API's other settings: {@code MESH_HTTP_HOST}, {@code MESH_API_TOKEN}, {@code
 *     MESH_READY_MAX_LAG}, {@code MESH_SSE_*}
 */
public record OrchestratorConfig(
    String natsUrl,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int httpPort,
    String stream,
    Duration stallThreshold,
    Duration budgetInterval,
    Duration stallInterval,
    Duration aliveTimeout,
    int maxRequestBytes,
    int projectorBatch,
    Duration projectorLinger,
    Duration sweepInterval,
    CollabSettings collab,
    NodeSettings nodes,
    @Nullable String natsInboxPrefix,
    HttpSettings http) {

  /** Thrown for a configuration value that cannot be used. */
  public static final class ConfigException extends MeshException {
    public ConfigException(String message) {
      super(ErrorCode.INVALID_REQUEST, message);
    }
  }

  public static OrchestratorConfig fromEnv() {
    return from(System.getenv());
  }

  public static OrchestratorConfig from(Map<String, String> env) {
    return new OrchestratorConfig(
        env.getOrDefault("MESH_NATS_URL", "nats://127.0.0.1:4222"),
        env.getOrDefault("MESH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/jetmesh"),
        env.getOrDefault("MESH_DB_USER", "postgres"),
        env.getOrDefault("MESH_DB_PASSWORD", ""),
        intVar(env, "MESH_HTTP_PORT", 8080, 0, 65535),
        streamName(env.getOrDefault("MESH_STREAM", Subjects.DEFAULT_STREAM)),
        Duration.ofMillis(
            Math.round(doubleVar(env, "MESH_STALL_MINUTES", 5, 0.001, 24 * 60) * 60_000)),
        Duration.ofMillis(
            Math.round(doubleVar(env, "MESH_BUDGET_CHECK_SECONDS", 30, 0.05, 3600) * 1000)),
        Duration.ofMillis(
            Math.round(doubleVar(env, "MESH_STALL_CHECK_SECONDS", 30, 0.05, 3600) * 1000)),
        Duration.ofMillis(intVar(env, "MESH_ALIVE_TIMEOUT_MS", 5000, 10, 600_000)),
        intVar(env, "MESH_MAX_REQUEST_BYTES", 256 * 1024, 1024, 64 * 1024 * 1024),
        intVar(env, "MESH_PROJECTOR_BATCH", 500, 1, 10_000),
        Duration.ofMillis(intVar(env, "MESH_PROJECTOR_LINGER_MS", 10, 0, 1000)),
        Duration.ofMillis(Math.round(doubleVar(env, "MESH_SWEEP_SECONDS", 2, 0.05, 3600) * 1000)),
        CollabSettings.from(env),
        new NodeSettings(
            joinSecret(env.get("MESH_JOIN_SECRET")),
            Duration.ofMillis(
                Math.round(doubleVar(env, "MESH_NODE_STALE_SECONDS", 90, 0.05, 86_400) * 1000)),
            boolVar(env, "MESH_STRICT_CLAIMS", true)),
        inboxPrefix(env),
        HttpSettings.from(env));
  }

  /** A copy with another HTTP port (tests use 0). */
  public OrchestratorConfig withHttpPort(int port) {
    return new OrchestratorConfig(
        natsUrl,
        dbUrl,
        dbUser,
        dbPassword,
        port,
        stream,
        stallThreshold,
        budgetInterval,
        stallInterval,
        aliveTimeout,
        maxRequestBytes,
        projectorBatch,
        projectorLinger,
        sweepInterval,
        collab,
        nodes,
        natsInboxPrefix,
        http);
  }

  /** Null when unset or blank; else the secret, which must be long enough to resist guessing. */
  private static @Nullable String joinSecret(@Nullable String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.strip().length() < NodeSettings.MIN_SECRET_LENGTH) {
      // The value itself is never printed: it is a secret, even when too short to use.
      throw new ConfigException(
          "MESH_JOIN_SECRET must be at least "
              + NodeSettings.MIN_SECRET_LENGTH
              + " characters (e.g. openssl rand -hex 32)");
    }
    return v.strip();
  }

  /** {@code MESH_NATS_INBOX_PREFIX}, checked now so that a bad one fails the start. */
  private static @Nullable String inboxPrefix(Map<String, String> env) {
    String v = env.get(dev.jetmesh.schema.NatsInbox.SETTING);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return dev.jetmesh.schema.NatsInbox.prefix("", v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(String.valueOf(e.getMessage()));
    }
  }

  private static String streamName(String s) {
    if (!s.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new ConfigException("MESH_STREAM must be 1-64 characters of A-Z a-z 0-9 _ -: " + s);
    }
    return s;
  }

  static boolean boolVar(Map<String, String> env, String name, boolean def) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return def;
    }
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name + " must be true or false: " + v);
    };
  }

  static int intVar(Map<String, String> env, String name, int def, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ": " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number: " + v);
    }
  }

  static double doubleVar(
      Map<String, String> env, String name, double def, double min, double max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      double n = Double.parseDouble(v.trim());
      if (!(n >= min && n <= max)) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ": " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a number: " + v);
    }
  }
}
