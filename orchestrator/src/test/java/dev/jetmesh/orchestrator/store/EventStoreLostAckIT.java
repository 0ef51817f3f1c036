package dev.jetmesh.orchestrator.store;

import static dev.jetmesh.orchestrator.store.EventStoreIT.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.AckDroppingProxy;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Appends whose acknowledgement is lost on the way back (the event is stored, the orchestrator
 * never hears so): each is retried with its message id and stored once. The acknowledgements are
 * really lost, by a proxy between the store and nats-server, not simulated by publishing twice.
 */
class EventStoreLostAckIT {
  static TestNats nats;
  static AckDroppingProxy proxy;
  static Connection viaProxy;
  static Connection direct;
  static EventStore store;
  static EventStore reader;

  @BeforeAll
  static void up() throws Exception {
    nats = TestNats.start();
    proxy = AckDroppingProxy.to(nats.url());
    viaProxy = Nats.connect(proxy.url());
    direct = Nats.connect(nats.url());
    // A try waits this long for its acknowledgement (5 s in service) before the retry.
    store = new EventStore(viaProxy, "LOST_ACK_IT", Duration.ofSeconds(1));
    store.ensureStream();
    reader = new EventStore(direct, "LOST_ACK_IT");
  }

  @AfterAll
  static void down() throws Exception {
    viaProxy.close();
    direct.close();
    proxy.close();
    nats.close();
  }

  @Test
  void anAppendWhoseAckIsLost_returnsTheSequenceItWasStoredAt_andIsStoredOnce() {
    String subject = Subjects.taskEvents("lost-one");
    proxy.dropEvery(1, 1);

    long seq = store.append(subject, submitted("lost-one"), 0);

    // The retry expected the subject to be empty, which it no longer was: the stream recognised
    // the message id before checking the expectation, so the retry got the first one's sequence.
    assertThat(proxy.dropped()).containsExactly(seq);
    assertThat(proxy.retriedAfter(seq)).isNotNull(); // the retry was answered as a duplicate
    assertThat(reader.read(subject)).singleElement().extracting(StoredEvent::seq).isEqualTo(seq);
    assertThat(store.append(subject, EventStoreIT.started("lost-one"), seq)).isGreaterThan(seq);
  }

  @Test
  void concurrentAppends_losingEveryThirdAck_eachStoredOnce() throws Exception {
    long before = reader.lastSequence();
    int n = 30;
    proxy.dropEvery(3, 10);
    List<Future<Long>> seqs = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < n; i++) {
        String id = "lost-many-" + i;
        seqs.add(pool.submit(() -> store.append(Subjects.taskEvents(id), submitted(id), 0)));
      }
    }
    List<Long> got = new ArrayList<>();
    for (Future<Long> f : seqs) {
      got.add(f.get());
    }

    assertThat(proxy.dropped()).hasSize(10);
    assertThat(got).doesNotHaveDuplicates().containsAll(proxy.dropped());
    assertThat(proxy.dropped()).allSatisfy(s -> assertThat(proxy.retriedAfter(s)).isNotNull());
    assertThat(reader.lastSequence()).isEqualTo(before + n);
    for (int i = 0; i < n; i++) {
      assertThat(reader.read(Subjects.taskEvents("lost-many-" + i))).hasSize(1);
    }
  }
}
