package dev.jetmesh.orchestrator.config;

import java.time.Duration;
import java.util.Map;

/**
 * The collab slice's settings, parsed from the environment with the rest of {@link
 * OrchestratorConfig} at start. Immutable.
 *
 * @param roundTimeout {@code MESH_COLLAB_ROUND_TIMEOUT_SECONDS} (default 1800): a round (in
 *     sequential mode, a turn) after which members that have not reflected are marked dead; a
 *     session's {@code round_timeout_s} overrides it. Applied when a round starts and recorded in
 *     its {@code collab.round_started}, so a fold never needs it.
 * @param renotifyInterval {@code MESH_COLLAB_RENOTIFY_SECONDS} (default 15): how often members that
 *     have not reflected get their round notification again
 */
public record CollabSettings(Duration roundTimeout, Duration renotifyInterval) {
  /** {@code MESH_COLLAB_ROUND_TIMEOUT_SECONDS} when it is not set. */
  public static final Duration DEFAULT_ROUND_TIMEOUT = Duration.ofMinutes(30);

  /** The defaults, as with an empty environment. */
  public static final CollabSettings DEFAULTS =
      new CollabSettings(DEFAULT_ROUND_TIMEOUT, Duration.ofSeconds(15));

  /**
   * Parses the collab variables of {@code env}.
   *
   * @throws OrchestratorConfig.ConfigException naming the variable, for a value that is not a
   *     number of seconds in (0, 604800]
   */
  public static CollabSettings from(Map<String, String> env) {
    return new CollabSettings(
        seconds(env, "MESH_COLLAB_ROUND_TIMEOUT_SECONDS", DEFAULTS.roundTimeout()),
        seconds(env, "MESH_COLLAB_RENOTIFY_SECONDS", DEFAULTS.renotifyInterval()));
  }

  private static Duration seconds(Map<String, String> env, String name, Duration def) {
    double s =
        OrchestratorConfig.doubleVar(env, name, def.toMillis() / 1000.0, 0.001, 7 * 24 * 3600);
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
