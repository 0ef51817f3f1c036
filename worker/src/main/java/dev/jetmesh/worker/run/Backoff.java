package dev.jetmesh.worker.run;

import java.time.Duration;

/**
 * The reference's two-tier retry delay: after a provider error {@code min(base * 2^(n-1), max)},
 * after a failed metric a fixed delay. Configurable so that tests need not wait.
 *
 * @param exitBase delay after the first provider error (reference: 1 s)
 * @param exitMax cap of the provider-error delay (reference: 30 s)
 * @param metricDelay delay after a failed metric (reference: 1 s)
 */
public record Backoff(Duration exitBase, Duration exitMax, Duration metricDelay) {
  /** The reference's values. */
  public static final Backoff REFERENCE =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(1));

  /** Delay after attempt {@code n} (1-based) ended with a provider error. */
  public Duration afterProviderError(int n) {
    long base = exitBase.toMillis();
    int shift = Math.min(Math.max(n - 1, 0), 30);
    long ms = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
    return Duration.ofMillis(Math.min(ms, exitMax.toMillis()));
  }

  /** Delay after an attempt whose metric failed. */
  public Duration afterMetricFailure() {
    return metricDelay;
  }
}
