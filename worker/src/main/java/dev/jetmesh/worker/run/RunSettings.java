package dev.jetmesh.worker.run;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the attempt loop needs from the worker's configuration. Immutable.
 *
 * @param nodeId this node
 * @param maxAttempts attempts per task ({@code MESH_MAX_ATTEMPTS})
 * @param heartbeatInterval between heartbeats ({@code MESH_HEARTBEAT_INTERVAL})
 * @param backoff retry delays
 * @param metricTimeout how long a metric may run (reference: 60 s)
 * @param envProvider {@code MESH_LLM_PROVIDER}, or null
 * @param flagProvider {@code --provider}, or null
 * @param flagModel {@code --model}, or null
 * @param baseEnv the environment children start from, before a provider's stripping
 * @param scratch directory for captured output files
 * @param clock time source for budget deadlines
 */
public record RunSettings(
    String nodeId,
    int maxAttempts,
    Duration heartbeatInterval,
    Backoff backoff,
    Duration metricTimeout,
    @Nullable String envProvider,
    @Nullable String flagProvider,
    @Nullable String flagModel,
    Map<String, String> baseEnv,
    Path scratch,
    Clock clock) {
  public RunSettings {
    requireNonNull(nodeId, "null nodeId");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    requireNonNull(heartbeatInterval, "null heartbeatInterval");
    requireNonNull(backoff, "null backoff");
    requireNonNull(metricTimeout, "null metricTimeout");
    baseEnv = Map.copyOf(requireNonNull(baseEnv, "null baseEnv"));
    requireNonNull(scratch, "null scratch");
    requireNonNull(clock, "null clock");
  }
}
