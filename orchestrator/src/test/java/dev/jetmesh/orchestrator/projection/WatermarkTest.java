package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Given readers waiting (or not) on the watermark, when the projector's fetcher lingers, then the
 * linger ends only for a reader that waits for something not fetched yet.
 */
class WatermarkTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(50);

  private final Watermark watermark = new Watermark();

  @Test
  void aReaderWaitingBeyondWhatWasFetched_endsTheLinger() throws Exception {
    // given a reader that waits for sequence 5 (nothing projects here, so it waits on)
    CompletableFuture<Boolean> reader =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return watermark.awaitAtLeast(5, LONG);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
    try {
      // when the fetcher, which fetched up to 4, lingers (however long)
      // then the linger ends: true, not a timeout
      assertThat(watermark.awaitReaderBeyond(4, LONG)).isTrue();
    } finally {
      watermark.advance(5);
    }
    assertThat(reader.get(10, TimeUnit.SECONDS)).as("the reader saw its sequence").isTrue();
  }

  @Test
  void aReaderWaitingForWhatWasFetched_doesNotEndIt() throws Exception {
    // given a reader that waited for sequence 3, already fetched (and being applied)
    assertThat(watermark.awaitAtLeast(3, Duration.ofMillis(1))).isFalse();
    // when the fetcher, which fetched up to 3, lingers
    // then it waits the linger out
    assertLingersOut(3);
  }

  @Test
  void aFollowerWaitingForWhateverComesNext_doesNotEndIt() throws Exception {
    // given an event stream following the watermark at 4: it waits for anything past it
    assertThat(watermark.awaitPast(4, Duration.ofMillis(1))).isFalse();
    // when the fetcher, which fetched up to 4, lingers
    // then it waits the linger out: an open stream must not end every linger
    assertLingersOut(4);
  }

  @Test
  void aFollower_seesTheWatermarkPassItsPosition() throws Exception {
    watermark.advance(5);
    assertThat(watermark.awaitPast(4, Duration.ZERO)).isTrue();
    assertThat(watermark.awaitPast(5, Duration.ofMillis(1))).isFalse();
  }

  @Test
  void withoutReaders_theLingerRunsOut() throws Exception {
    assertLingersOut(0);
  }

  @Test
  void aReaderWhoseWaitHasEnded_stillEndsTheLinger_untilItsSequenceIsFetched() throws Exception {
    // given a reader that gave up waiting for sequence 7
    assertThat(watermark.awaitAtLeast(7, Duration.ofMillis(1))).isFalse();
    // then a fetcher that has not fetched 7 yet fetches at once (the reader may ask again)
    assertThat(watermark.awaitReaderBeyond(6, LONG)).isTrue();
    // and one that has fetched it lingers
    assertLingersOut(7);
  }

  @Test
  void aReaderWhoseSequenceIsProjected_doesNotWait_andEndsNoLinger() throws Exception {
    // given the watermark at 10
    watermark.advance(10);
    // when a reader asks for 8, it does not wait
    assertThat(watermark.awaitAtLeast(8, Duration.ZERO)).isTrue();
    // then a fetcher lingering after 9 is not woken for it
    assertLingersOut(9);
  }

  /** The fetcher, having fetched up to {@code fetched}, waits its whole linger and is not woken. */
  private void assertLingersOut(long fetched) throws InterruptedException {
    long t0 = System.nanoTime();
    assertThat(watermark.awaitReaderBeyond(fetched, SHORT)).as("woken").isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("waited").isGreaterThanOrEqualTo(SHORT);
  }
}
