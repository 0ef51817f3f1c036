package dev.jetmesh.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The projector's reading of the stream, against a private nats-server that the test pauses
 * (SIGSTOP) while it is sending a batch: a fetch that gives up while the rest of its batch is still
 * on the way must not lose it.
 */
class EventFeedIT {
  private static final int EVENTS = 20_000;
  private static final int BATCH = 10_000; // megabytes of events: still being sent when paused

  @Test
  void aFetchThatGivesUpWhileItsBatchIsOnTheWay_losesNothing_andKeepsStreamOrder()
      throws Exception {
    try (TestNats nats = TestNats.start();
        Connection nc = Nats.connect(nats.url())) {
      EventStore store = new EventStore(nc, "FEED_IT");
      store.ensureStream();
      for (int i = 0; i < EVENTS; i++) {
        String id = "feed-" + i;
        store.appendAll(Subjects.taskEvents(id), List.of(EventStoreIT.submitted(id)), 0);
      }
      EventFeed feed = new EventFeed(nc, "FEED_IT", "feed-it");
      List<Long> seqs = new ArrayList<>();
      ScheduledExecutorService pauser = Executors.newSingleThreadScheduledExecutor();
      try (EventFeed.Subscription sub = feed.open(0)) {
        // Paused a few milliseconds into the first batch, for longer than a fetch waits (a
        // second): the fetches made meanwhile give up with part of the batch still to come.
        var unused =
            pauser.schedule(
                () -> {
                  nats.pause();
                  try {
                    Thread.sleep(1_500);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    nats.resume();
                  }
                },
                5,
                TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (seqs.size() < EVENTS && System.nanoTime() < deadline) {
          seqs.addAll(seqs(sub.fetch(BATCH)));
        }
      } finally {
        pauser.shutdown();
        assertThat(pauser.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      }

      // A lost delivery comes back only after the ack wait (30 s), out of order.
      assertThat(seqs)
          .as("every event once, in stream order, with no gap")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS).boxed().toList());
    }
  }

  private static List<Long> seqs(List<EventFeed.Delivery> batch) {
    return batch.stream().map(EventFeed.Delivery::seq).toList();
  }
}
