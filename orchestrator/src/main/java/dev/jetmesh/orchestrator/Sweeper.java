package dev.jetmesh.orchestrator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every module's periodic sweep (deadlines, and decisions lost to a crash between a commit and
 * its reaction) on a thread of its own, only while this process projects: the sweeps decide from
 * the read model. A failing sweep is logged and the next run tries again.
 *
 * <p>Closing lets the sweep in progress finish the module it is in, for up to {@link #GRACE}, and
 * runs no further module: a sweep that went on while the connections and the pool close under it
 * would fail halfway. The grace is short because a SIGTERM has 2 s for everything; past it, or when
 * the close itself is interrupted, the sweep is interrupted and given a moment more to end.
 * Thread-safe.
 */
final class Sweeper implements AutoCloseable {
  static final Duration GRACE = Duration.ofMillis(500);
  private static final Duration INTERRUPTED_WAIT = Duration.ofMillis(200);
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sweeper").daemon().factory());
  private final SequencedMap<String, Runnable> sweeps;
  private final BooleanSupplier leading;
  private final Duration grace;

  /**
   * @param sweeps each module's sweep by its name, in the order they run
   * @param leading whether this process projects now
   */
  Sweeper(Map<String, Runnable> sweeps, BooleanSupplier leading) {
    this(sweeps, leading, GRACE);
  }

  /** As {@link #Sweeper(Map, BooleanSupplier)}, with a grace of its own (tests). */
  Sweeper(Map<String, Runnable> sweeps, BooleanSupplier leading, Duration grace) {
    this.sweeps = new LinkedHashMap<>(sweeps);
    this.leading = leading;
    this.grace = grace;
  }

  /** Sweeps every {@code interval}, the first time one interval from now. */
  void start(Duration interval) {
    long ms = interval.toMillis();
    var unused = executor.scheduleWithFixedDelay(this::run, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One run: every module's sweep, in order, unless this process does not lead or is closing. */
  void run() {
    if (!leading.getAsBoolean()) {
      return;
    }
    for (Map.Entry<String, Runnable> s : sweeps.entrySet()) {
      if (closing()) {
        return;
      }
      try {
        s.getValue().run();
      } catch (RuntimeException e) {
        LOG.warn("{} sweep failed: {}", s.getKey(), e.toString());
      }
    }
  }

  /** Whether {@link #close} has begun: no module's sweep starts any more. */
  boolean closing() {
    return executor.isShutdown();
  }

  /** Whether the sweeper's thread has ended. */
  boolean stopped() {
    return executor.isTerminated();
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "a sweep still runs {} ms after the close began: interrupting it", grace.toMillis());
      }
    } finally {
      if (!executor.isTerminated()) {
        executor.shutdownNow();
        // A module's sweep stops between items when interrupted (MeshModule.sweepEach), but the
        // item in hand may be waiting on Postgres, which ignores the interrupt: give it a moment
        // (bounded) to get out, rather than close what it uses under it at once.
        if (!executor.awaitTermination(INTERRUPTED_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("a sweep did not end when interrupted; closing around it");
        }
      }
    }
  }
}
