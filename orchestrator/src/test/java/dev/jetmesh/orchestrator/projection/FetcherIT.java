package dev.jetmesh.orchestrator.projection;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.store.EventStoreIT;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * The fetcher's wait between fetches ({@link Batching}), against a real stream: the first event
 * after a quiet spell is handed over at once, and the events after it wait out the linger so that
 * they share a transaction, unless a reader waits for them. The linger is long here (5 s) so that
 * "at once" and "waited" cannot be confused on a slow machine.
 */
class FetcherIT {
  private static final String STREAM = "FETCHER_IT";
  private static final Duration LINGER = Duration.ofSeconds(5);

  @Test
  void aLoneEventIsHandedOverAtOnce_andTheNextOneWaitsOutTheLinger() throws Exception {
    withFetcher(
        (store, ready, readers) -> {
          // given a fetcher waiting on a quiet stream
          // when one event is appended
          store.appendAll(Subjects.taskEvents("lone"), List.of(EventStoreIT.submitted("lone")), 0);
          // then it is handed over well before a linger could have passed
          FetchedBatch first = ready.poll(3, SECONDS);
          long firstTaken = System.nanoTime();
          assertThat(first).as("the lone event, within 3 s").isNotNull();
          assertThat(seqs(first)).containsExactly(1L);

          // when the next one follows at once
          store.appendAll(Subjects.taskEvents("next"), List.of(EventStoreIT.submitted("next")), 0);
          // then it waits for the linger that the lone event's fetch started (5 s from before the
          // first was taken; 3 s is asked, leaving 2 s for this test's own delays)
          FetchedBatch second = ready.poll(15, SECONDS);
          long waitedMs = (System.nanoTime() - firstTaken) / 1_000_000;
          assertThat(second).as("the next event, after the linger").isNotNull();
          assertThat(seqs(second)).containsExactly(2L);
          assertThat(waitedMs).as("held back by the linger").isGreaterThanOrEqualTo(3_000);
        });
  }

  @Test
  void aReaderWaitingForTheNextEvent_endsTheLinger() throws Exception {
    withFetcher(
        (store, ready, readers) -> {
          // given a fetcher lingering after a lone event
          store.appendAll(Subjects.taskEvents("lone"), List.of(EventStoreIT.submitted("lone")), 0);
          FetchedBatch first = ready.poll(3, SECONDS);
          long firstTaken = System.nanoTime();
          assertThat(first).as("the lone event, within 3 s").isNotNull();

          // when the next event follows and a reader waits for it (briefly: nothing projects here)
          long next =
              store.appendAll(
                  Subjects.taskEvents("next"), List.of(EventStoreIT.submitted("next")), 0);
          assertThat(readers.awaitAtLeast(next, Duration.ofMillis(1))).isFalse();

          // then it is fetched without waiting out the linger (5 s)
          FetchedBatch second = ready.poll(15, SECONDS);
          long waitedMs = (System.nanoTime() - firstTaken) / 1_000_000;
          assertThat(second).as("the next event").isNotNull();
          assertThat(seqs(second)).containsExactly(next);
          assertThat(waitedMs).as("not held back by the linger").isLessThan(2_500);
        });
  }

  /** What a test does with a running fetcher: append to its stream, take its batches, read. */
  @FunctionalInterface
  private interface WithFetcher {
    void run(EventStore store, BlockingQueue<FetchedBatch> ready, Watermark readers)
        throws Exception;
  }

  /**
   * Runs {@code test} against a fetcher on a private nats-server with {@link #LINGER}, then stops
   * the fetcher and checks that its thread ended.
   */
  private static void withFetcher(WithFetcher test) throws Exception {
    try (TestNats nats = TestNats.start();
        Connection nc = Nats.connect(nats.url())) {
      EventStore store = new EventStore(nc, STREAM);
      store.ensureStream();
      BlockingQueue<FetchedBatch> ready = new LinkedBlockingQueue<>();
      Watermark readers = new Watermark();
      try (EventFeed.Subscription sub = new EventFeed(nc, STREAM, "fetcher-it").open(0)) {
        Fetcher fetcher = new Fetcher(sub, ready, new Batching(500, LINGER), readers);
        Thread thread = Thread.ofPlatform().name("fetcher-it").daemon().start(fetcher);
        try {
          test.run(store, ready, readers);
        } finally {
          fetcher.stop();
          thread.interrupt();
          thread.join(SECONDS.toMillis(5));
        }
        assertThat(thread.isAlive()).as("fetcher stopped").isFalse();
      }
    }
  }

  private static List<Long> seqs(FetchedBatch b) {
    return b.good().stream().map(StoredEvent::seq).toList();
  }
}
