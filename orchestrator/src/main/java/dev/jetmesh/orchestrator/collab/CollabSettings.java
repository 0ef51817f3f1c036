package dev.jetmesh.orchestrator.collab;

import java.time.Duration;
import java.util.Map;

/**
 * The collab slice's settings, read from the environment once per process.
 *
 * @param roundTimeout {@code MESH_COLLAB_ROUND_TIMEOUT_SECONDS} (default 1800): a round (in
 *     sequential mode, a turn) after which members that have not reflected are marked dead; a
 *     session's {@code round_timeout_s} overrides it
 * @param renotifyInterval {@code MESH_COLLAB_RENOTIFY_SECONDS} (default 15): how often members that
 *     have not reflected get their round notification again
 */
public record CollabSettings(Duration roundTimeout, Duration renotifyInterval) {
  public static final CollabSettings ENV = from(System.getenv());

  public static CollabSettings from(Map<String, String> env) {
    return new CollabSettings(
        seconds(env, "MESH_COLLAB_ROUND_TIMEOUT_SECONDS", 1800),
        seconds(env, "MESH_COLLAB_RENOTIFY_SECONDS", 15));
  }

  private static Duration seconds(Map<String, String> env, String name, double def) {
    String v = env.get(name);
    double d = def;
    if (v != null && !v.isBlank()) {
      try {
        d = Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number: " + v, e);
      }
      if (!(d > 0 && d <= 7 * 24 * 3600)) {
        throw new IllegalArgumentException(name + " must be between 0 and 604800: " + v);
      }
    }
    return Duration.ofMillis(Math.round(d * 1000));
  }
}
