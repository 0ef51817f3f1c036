package dev.jetmesh.orchestrator.wire;

import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps standby orchestrators out of the way of the primary. The primary says so on {@link
 * Subjects#PRIMARY_BEAT} every {@link #EVERY}; a standby that hears it leaves the request queue
 * group, so NATS hands every request straight to the primary, and joins again once it has heard
 * nothing for {@link #SILENCE} (the primary died, or its projector stopped), to forward or decide
 * itself. Measured from outside, a standby that stayed in the group and forwarded half the requests
 * cost a third of the mesh's speed on 2 cores (docs/architecture.md, "Several orchestrators").
 * Thread-safe.
 */
final class PrimaryBeat implements AutoCloseable {
  static final Duration EVERY = Duration.ofMillis(500);
  static final Duration SILENCE = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(PrimaryBeat.class);

  private final Connection nc;
  private final BooleanSupplier isPrimary;
  private final Consumer<Boolean> serve;
  private final byte[] self = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("jetmesh-primary-beat").unstarted(r));
  private final Dispatcher listener;
  private volatile long lastHeard = System.nanoTime() - SILENCE.toNanos();

  /**
   * @param isPrimary whether this process is the primary now
   * @param serve called with whether this process should be in the request queue group; called
   *     often, so it must be cheap when nothing changes
   */
  PrimaryBeat(Connection nc, BooleanSupplier isPrimary, Consumer<Boolean> serve) {
    this.nc = nc;
    this.isPrimary = isPrimary;
    this.serve = serve;
    this.listener =
        nc.createDispatcher(
            m -> {
              if (!java.util.Arrays.equals(m.getData(), self)) {
                lastHeard = System.nanoTime();
              }
            });
    listener.subscribe(Subjects.PRIMARY_BEAT);
    var unused =
        timer.scheduleWithFixedDelay(this::tick, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      if (isPrimary.getAsBoolean()) {
        nc.publish(Subjects.PRIMARY_BEAT, self);
        serve.accept(true);
      } else {
        serve.accept(System.nanoTime() - lastHeard > SILENCE.toNanos());
      }
    } catch (RuntimeException e) {
      LOG.warn("primary beat: {}", e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    nc.closeDispatcher(listener);
  }
}
