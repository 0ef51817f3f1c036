package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Given batching settings, when a fetch brought some events, then whether the next one waits. */
class BatchingTest {
  private final Batching batching = new Batching(500, Duration.ofMillis(10));

  @Test
  void events_arriving_one_after_another_under_load_are_waited_for() {
    assertThat(batching.lingersAfter(2)).isTrue();
    assertThat(batching.lingersAfter(499)).isTrue();
  }

  @Test
  void after_a_lone_event_the_next_ones_are_waited_for_too() {
    // the lone event itself was fetched and goes on at once; only the next fetch waits
    assertThat(batching.lingersAfter(1)).isTrue();
  }

  @Test
  void a_fetch_that_brought_nothing_waits_for_the_next_event_at_once() {
    assertThat(batching.lingersAfter(0)).isFalse();
  }

  @Test
  void a_full_batch_catching_up_fetches_again_at_once() {
    assertThat(batching.lingersAfter(500)).isFalse();
    // a batch of one is always full: one event per transaction, never waited after
    assertThat(new Batching(1, Duration.ofMillis(10)).lingersAfter(1)).isFalse();
  }

  @Test
  void zero_linger_never_waits() {
    assertThat(Batching.of(500).lingersAfter(2)).isFalse();
  }

  @Test
  void nonsense_is_refused() {
    assertThatThrownBy(() -> new Batching(0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Batching(10, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
