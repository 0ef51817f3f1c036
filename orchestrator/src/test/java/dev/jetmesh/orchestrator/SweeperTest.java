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
import org.junit.jupiter.api.Test;

/**
 * Given modules' sweeps on a real sweeper thread, when the sweeper closes, then a sweep in progress
 * finishes or is interrupted, and no further module is swept.
 */
class SweeperTest {
  private static final Duration OFTEN = Duration.ofMillis(1);

  private final CountDownLatch inFirst = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean firstInterrupted = new AtomicBoolean();
  private final AtomicBoolean firstFinished = new AtomicBoolean();
  private final AtomicInteger secondRuns = new AtomicInteger();

  /** A first module whose sweep waits for {@link #release}, and a second one that counts. */
  private Sweeper sweeper(boolean leading) {
    Map<String, Runnable> sweeps = new LinkedHashMap<>();
    sweeps.put(
        "first",
        () -> {
          inFirst.countDown();
          try {
            release.await();
            firstFinished.set(true);
          } catch (InterruptedException e) {
            firstInterrupted.set(true);
          }
        });
    sweeps.put("second", secondRuns::incrementAndGet);
    return new Sweeper(sweeps, () -> leading);
  }

  @Test
  void aSweepThatFinishesWithinTheGrace_isWaitedFor_andTheNextModuleIsNotSwept() throws Exception {
    Sweeper s = sweeper(true);
    s.start(OFTEN);
    assertThat(inFirst.await(10, SECONDS)).isTrue();

    Thread releaser =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    // Well within the grace, after close began (close is called right after).
                    Thread.sleep(Sweeper.GRACE.toMillis() / 5);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  release.countDown();
                });
    s.close();
    releaser.join();

    assertThat(firstFinished).as("finished, not cut short").isTrue();
    assertThat(firstInterrupted).isFalse();
    assertThat(secondRuns).as("nothing swept once closing").hasValue(0);
  }

  @Test
  void aSweepThatOutlastsTheGrace_isInterrupted() throws Exception {
    Sweeper s = sweeper(true);
    s.start(OFTEN);
    assertThat(inFirst.await(10, SECONDS)).isTrue();

    long t0 = System.nanoTime();
    s.close();
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(waitedMs).as("waited the grace first").isGreaterThanOrEqualTo(450);
    await().atMost(Duration.ofSeconds(5)).untilTrue(firstInterrupted);
    assertThat(firstFinished).isFalse();
    assertThat(secondRuns).hasValue(0);
  }

  @Test
  void anInterruptedClose_interruptsTheSweepAtOnce_andSaysSo() throws Exception {
    Sweeper s = sweeper(true);
    s.start(OFTEN);
    assertThat(inFirst.await(10, SECONDS)).isTrue();

    Thread.currentThread().interrupt();
    assertThatThrownBy(s::close).isInstanceOf(InterruptedException.class);

    await().atMost(Duration.ofSeconds(5)).untilTrue(firstInterrupted);
    assertThat(secondRuns).hasValue(0);
  }

  @Test
  void aProcessThatDoesNotProject_neverSweeps() throws Exception {
    Sweeper s = sweeper(false);
    s.start(OFTEN);
    Thread.sleep(50); // fifty chances to sweep
    s.close();
    assertThat(inFirst.getCount()).isEqualTo(1);
    assertThat(secondRuns).hasValue(0);
  }
}
