package dev.jetmesh.orchestrator;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Given modules' sweeps on a real sweeper thread, when the sweeper closes, then a sweep in progress
 * finishes or is interrupted, and no further module is swept.
 */
class SweeperTest {
  private static final Duration OFTEN = Duration.ofMillis(1);

  private final CountDownLatch inFirst = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicReference<@Nullable Thread> sweepThread = new AtomicReference<>();
  private final AtomicBoolean firstInterrupted = new AtomicBoolean();
  private final AtomicBoolean firstFinished = new AtomicBoolean();
  private final AtomicInteger secondRuns = new AtomicInteger();
  private final AtomicInteger leadingAsked = new AtomicInteger();
  private @Nullable Sweeper sweeper;

  /** A first module whose sweep waits for {@link #release}, and a second one that counts. */
  private Sweeper sweeper(boolean leading, Duration grace) {
    Map<String, Runnable> sweeps = new LinkedHashMap<>();
    sweeps.put(
        "first",
        () -> {
          sweepThread.set(Thread.currentThread());
          inFirst.countDown();
          try {
            release.await();
            firstFinished.set(true);
          } catch (InterruptedException e) {
            firstInterrupted.set(true);
          }
        });
    sweeps.put("second", secondRuns::incrementAndGet);
    sweeper =
        new Sweeper(
            sweeps,
            () -> {
              leadingAsked.incrementAndGet();
              return leading;
            },
            grace);
    return sweeper;
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    release.countDown(); // a failed test must not leave a sweep waiting
    Thread.interrupted();
    if (sweeper != null) {
      sweeper.close();
    }
  }

  /** Waits for the sweeper's thread to end, so that nothing more can be swept after the checks. */
  private void awaitSweepThreadEnded() throws InterruptedException {
    Thread t = sweepThread.get();
    assertThat(t).isNotNull();
    t.join(SECONDS.toMillis(10));
    assertThat(t.isAlive()).as("sweeper thread ended").isFalse();
  }

  @Test
  void aSweepThatFinishesWithinTheGrace_isWaitedFor_andTheNextModuleIsNotSwept() throws Exception {
    Sweeper s = sweeper(true, Duration.ofSeconds(10));
    s.start(OFTEN);
    assertThat(inFirst.await(10, SECONDS)).isTrue();

    // The sweep ends once the close has begun, well within the grace.
    Thread releaser =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  await().atMost(Duration.ofSeconds(10)).until(s::closing);
                  release.countDown();
                });
    s.close();
    releaser.join(SECONDS.toMillis(10));
    awaitSweepThreadEnded();

    assertThat(firstFinished).as("finished, not cut short").isTrue();
    assertThat(firstInterrupted).isFalse();
    assertThat(secondRuns).as("nothing swept once closing").hasValue(0);
    assertThat(s.stopped()).isTrue();
  }

  @Test
  void aSweepThatOutlastsTheGrace_isInterrupted() throws Exception {
    Duration grace = Duration.ofMillis(300);
    Sweeper s = sweeper(true, grace);
    s.start(OFTEN);
    assertThat(inFirst.await(10, SECONDS)).isTrue();

    long t0 = System.nanoTime();
    s.close();
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    awaitSweepThreadEnded();

    assertThat(waitedMs).as("waited the grace first").isGreaterThanOrEqualTo(grace.toMillis());
    assertThat(firstInterrupted).isTrue();
    assertThat(firstFinished).isFalse();
    assertThat(secondRuns).as("nothing swept once closing").hasValue(0);
    assertThat(s.stopped()).isTrue();
  }

  @Test
  void anInterruptedClose_interruptsTheSweepAtOnce_andSaysSo() throws Exception {
    Sweeper s = sweeper(true, Duration.ofSeconds(10));
    s.start(OFTEN);
    assertThat(inFirst.await(10, SECONDS)).isTrue();

    Thread.currentThread().interrupt();
    assertThatThrownBy(s::close).isInstanceOf(InterruptedException.class);
    awaitSweepThreadEnded();

    assertThat(firstInterrupted).isTrue();
    assertThat(secondRuns).as("nothing swept once closing").hasValue(0);
  }

  @Test
  void aProcessThatDoesNotProject_neverSweeps() throws Exception {
    Sweeper s = sweeper(false, Sweeper.GRACE);
    s.start(OFTEN);
    await().atMost(Duration.ofSeconds(10)).until(() -> leadingAsked.get() >= 5);
    s.close();
    assertThat(inFirst.getCount()).as("first module never swept").isEqualTo(1);
    assertThat(secondRuns).hasValue(0);
  }
}
