package dev.jetmesh.orchestrator.store;

import static java.util.concurrent.TimeUnit.MICROSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The projector's reading of the stream, against a private nats-server that the test pauses
 * (SIGSTOP) while it is sending a batch: a fetch that gives up while the rest of its batch is still
 * on the way must not lose it.
 */
class EventFeedIT {
  private static final int EVENTS = 20_000;
  private static final int BATCH = 10_000; // the most a fetch may ask for

  /**
   * About 2 kB per event, so that a batch is about 20 MB and takes tens of milliseconds to arrive
   * even on a fast machine (with events of a few hundred bytes, a whole batch arrived before the
   * pause could land, five attempts in a row). Both batches stay below the client's 64 MB buffer.
   */
  private static final String PADDING = "x".repeat(2_000);

  @Test
  void aFetchThatGivesUpWhileItsBatchIsOnTheWay_losesNothing_andKeepsStreamOrder()
      throws Exception {
    try (TestNats nats = TestNats.start();
        Connection nc = Nats.connect(nats.url())) {
      EventStore store = new EventStore(nc, "FEED_IT");
      store.ensureStream();
      for (int i = 0; i < EVENTS; i++) {
        String id = "feed-" + i;
        store.appendAll(Subjects.taskEvents(id), List.of(EventStoreIT.submitted(id, PADDING)), 0);
      }
      EventFeed feed = new EventFeed(nc, "FEED_IT", "feed-it");
      ScheduledExecutorService pauser = Executors.newSingleThreadScheduledExecutor();
      try {
        // The pause must land while the first batch is on its way, or the run proves nothing:
        // then the first fetch comes back with part of it. Each attempt reads the stream afresh.
        boolean landed = false;
        long delayMicros = 5_000;
        for (int attempt = 0; attempt < 5 && !landed; attempt++) {
          List<Long> seqs = new ArrayList<>();
          try (EventFeed.Subscription sub = feed.open(0)) {
            // Paused a few milliseconds into the first batch, for longer than a fetch waits (a
            // second): the fetches made meanwhile give up with part of the batch still to come.
            ScheduledFuture<?> pause =
                pauser.schedule(() -> pauseFor(nats), delayMicros, MICROSECONDS);
            List<Long> first = seqs(sub.fetch(BATCH));
            landed = !first.isEmpty() && first.size() < BATCH;
            // Too late (the whole batch came) or too early (nothing came): move the next pause.
            delayMicros = first.isEmpty() ? delayMicros * 2 : delayMicros / 2;
            seqs.addAll(first);
            long deadline = System.nanoTime() + SECONDS.toNanos(40);
            while (seqs.size() < EVENTS && System.nanoTime() < deadline) {
              seqs.addAll(seqs(sub.fetch(BATCH)));
            }
            pause.get(10, SECONDS);
          }
          // A lost delivery comes back only after the ack wait (30 s), out of order.
          assertThat(seqs)
              .as("attempt %d: every event once, in stream order, with no gap", attempt)
              .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
        }
        assertThat(landed).as("the pause landed while a batch was on its way").isTrue();
      } finally {
        pauser.shutdownNow();
      }
    }
  }

  private static void pauseFor(TestNats nats) {
    nats.pause();
    try {
      Thread.sleep(1_500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      nats.resume();
    }
  }

  private static List<Long> seqs(List<EventFeed.Delivery> batch) {
    return batch.stream().map(EventFeed.Delivery::seq).toList();
  }
}
