package dev.jetmesh.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.TaskSpec;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

public class EventStoreIT {
  static TestNats nats;
  static Connection nc;
  static EventStore store;

  @BeforeAll
  static void up() throws Exception {
    nats = TestNats.start();
    nc = Nats.connect(nats.url());
    store = new EventStore(nc, "STORE_IT");
    store.ensureStream();
  }

  @AfterAll
  static void down() throws Exception {
    nc.close();
    nats.close();
  }

  public static Envelope submitted(String id) {
    return submitted(id, "");
  }

  /** A submission whose description is {@code description}: events of a chosen size. */
  public static Envelope submitted(String id, String description) {
    TaskSpec spec = TaskSpec.withDefaults(id, "t", description);
    return Envelope.wrap(new TaskEvent.TaskSubmitted(spec), id, "test", null, Instant.now());
  }

  static Envelope started(String id) {
    return Envelope.wrap(new TaskEvent.TaskStarted("n1"), id, "n1", null, Instant.now());
  }

  @Test
  void ensureStream_isIdempotent_andKeepsEveryEvent() {
    StreamInfo a = store.ensureStream();
    StreamInfo b = store.ensureStream();
    assertThat(b.getConfiguration().getName()).isEqualTo(a.getConfiguration().getName());
    StreamConfiguration c = b.getConfiguration();
    assertThat(c.getMaxMsgs()).isEqualTo(-1);
    assertThat(c.getMaxBytes()).isEqualTo(-1);
    assertThat(c.getMaxAge()).isEqualTo(Duration.ZERO);
    assertThat(c.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
    assertThat(c.getSubjects()).containsExactly(Subjects.EVENTS_ALL);
  }

  @Test
  void append_withExpectedZero_refusesWhenSubjectHasEvents() {
    String subject = Subjects.taskEvents("es-zero");
    long first = store.append(subject, submitted("es-zero"), 0);
    assertThat(first).isPositive();
    assertThatThrownBy(() -> store.append(subject, submitted("es-zero"), 0))
        .isInstanceOf(ConcurrencyConflictException.class);
    assertThat(store.read(subject)).hasSize(1);
  }

  @Test
  void append_withStaleExpectedSequence_conflicts_andWritesNothing() {
    String subject = Subjects.taskEvents("es-stale");
    long s1 = store.append(subject, submitted("es-stale"), 0);
    long s2 = store.append(subject, started("es-stale"), s1);
    assertThatThrownBy(() -> store.append(subject, started("es-stale"), s1))
        .isInstanceOf(ConcurrencyConflictException.class);
    List<StoredEvent> history = store.read(subject);
    assertThat(history).extracting(StoredEvent::seq).containsExactly(s1, s2);
  }

  @Test
  void append_sameEventTwice_isDeduplicatedByMessageId() {
    String subject = Subjects.taskEvents("es-dup");
    Envelope e = submitted("es-dup");
    long s1 = store.append(subject, e, 0);
    // A retry of the same publish (same Nats-Msg-Id) whose first try landed: same sequence back.
    long again = store.append(subject, e, 0);
    assertThat(again).isEqualTo(s1);
    assertThat(store.read(subject)).hasSize(1);
  }

  @Test
  void read_returnsOnlyThatAggregatesEvents_inOrder() {
    String a = Subjects.taskEvents("es-a");
    String b = Subjects.taskEvents("es-b");
    long a1 = store.append(a, submitted("es-a"), 0);
    long b1 = store.append(b, submitted("es-b"), 0);
    long a2 = store.append(a, started("es-a"), a1);
    assertThat(store.read(a)).extracting(StoredEvent::seq).containsExactly(a1, a2);
    assertThat(store.read(b)).extracting(StoredEvent::seq).containsExactly(b1);
    assertThat(store.read(Subjects.taskEvents("es-none"))).isEmpty();
    assertThat(store.read(a).get(1).event()).isInstanceOf(TaskEvent.TaskStarted.class);
  }

  @Test
  void ensureStream_correctsAStreamThatWouldDropOldEvents() throws Exception {
    var jsm = nc.jetStreamManagement();
    jsm.addStream(
        StreamConfiguration.builder()
            .name("LOSSY")
            .subjects("lossy.>")
            .maxMessages(1000)
            .discardPolicy(DiscardPolicy.Old)
            .build());
    EventStore lossy = new EventStore(nc, "LOSSY");
    StreamInfo fixed = lossy.ensureStream();
    assertThat(fixed.getConfiguration().getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
  }
}
