package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/events} against a real orchestrator: a client that disconnects and comes back
 * with {@code Last-Event-ID} gets exactly the events it missed, in order, and nothing twice;
 * filters; keep-alive comments; the cap on concurrent streams.
 */
class EventStreamIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestMesh mesh;
  static MeshClient client;
  static Http http;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of("MESH_SSE_MAX_STREAMS", "2", "MESH_SSE_KEEPALIVE_SECONDS", "0.3"));
    client = mesh.client();
    http = new Http(mesh.orchestrator().httpPort());
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  record Seen(long seq, String type, String id) {}

  @Test
  void aClientThatReconnectsWithLastEventId_getsExactlyWhatItMissed_inOrder() throws Exception {
    mesh.awaitProjected();
    long start = mesh.orchestrator().store().lastSequence();
    for (int i = 1; i <= 5; i++) {
      submit("r-" + i);
    }
    List<Seen> before;
    try (SseReader s = open("/api/events?aggregate=task&since=" + start)) {
      before = seen(s.next(3, WAIT));
    }
    assertThat(before)
        .extracting(Seen::id)
        .as("the first three submissions")
        .containsExactly("r-1", "r-2", "r-3");
    long last = before.get(2).seq();

    // While it is away: more task events, and events of other aggregates it does not follow.
    submit("r-6");
    client.task("cancel", Map.of("task_id", "r-1", "reason", "while away"));
    client.ok("mesh.nodes.join", Map.of("node_id", "away-node"));
    submit("r-7");
    mesh.awaitProjected();
    List<Seen> missed = taskEventsAfter(last);
    assertThat(missed).extracting(Seen::id).contains("r-4", "r-5", "r-6", "r-1", "r-7");

    // Last-Event-ID wins over since, as a browser resends both after a reconnect.
    try (SseReader s = open("/api/events?aggregate=task&since=0", "Last-Event-ID", "" + last)) {
      List<SseReader.Event> got = s.next(missed.size(), WAIT);
      assertThat(seen(got)).containsExactlyElementsOf(missed);
      // Nothing repeated or extra: the next event is the next one appended.
      submit("r-8");
      SseReader.Event next = s.next(WAIT);
      assertThat(next.data().path("aggregate_id").asText()).isEqualTo("r-8");
      assertThat(next.id()).isGreaterThan(got.get(got.size() - 1).id());
      JsonNode d = next.data();
      assertThat(d.path("seq").asLong()).isEqualTo(next.id());
      assertThat(d.path("type").asText()).isEqualTo("task.submitted").isEqualTo(next.type());
      assertThat(d.path("aggregate").asText()).isEqualTo("task");
      assertThat(d.path("data").path("task").path("task_id").asText()).isEqualTo("r-8");
      assertThat(d.has("occurred_at")).isTrue();
    }
  }

  @Test
  void oneAggregate_andNoPosition_streamsOnlyItsEventsFromNow() throws Exception {
    submit("f-old");
    mesh.awaitProjected();
    try (SseReader all = open("/api/events");
        SseReader one = open("/api/events?aggregate=task&id=f-one")) {
      // "From now": started after f-old was projected, so neither sees it.
      submit("f-other");
      submit("f-one");
      client.task("cancel", Map.of("task_id", "f-one"));
      SseReader.Event a = one.next(WAIT);
      SseReader.Event b = one.next(WAIT);
      assertThat(List.of(a.type(), b.type())).containsExactly("task.submitted", "task.cancelled");
      assertThat(
              List.of(
                  a.data().path("aggregate_id").asText(), b.data().path("aggregate_id").asText()))
          .containsOnly("f-one");
      List<SseReader.Event> three = all.next(3, WAIT);
      assertThat(three)
          .extracting(e -> e.data().path("aggregate_id").asText())
          .containsExactly("f-other", "f-one", "f-one");
    }
  }

  @Test
  void aQuietStream_sendsKeepAliveComments() throws Exception {
    try (SseReader s = open("/api/events?aggregate=plan&id=nothing-here")) {
      assertThat(s.contentType()).startsWith("text/event-stream");
      assertThat(s.nextComment(WAIT)).startsWith("stream from");
      assertThat(s.nextComment(WAIT)).isEqualTo("keep-alive");
      assertThat(s.nextComment(WAIT)).isEqualTo("keep-alive");
    }
  }

  @Test
  void streamsOverTheCap_areRefusedWith503_untilOneCloses() throws Exception {
    try (SseReader a = open("/api/events");
        SseReader b = open("/api/events")) {
      SseReader c = SseReader.open(http.base() + "/api/events");
      assertThat(c.status()).isEqualTo(503);
      c.close();
      var refused = http.get("/api/events");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("content-type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
      JsonNode p = Http.parse(refused.body());
      assertThat(p.path("code").asText()).isEqualTo("UNAVAILABLE");
      assertThat(p.path("detail").asText()).contains("MESH_SSE_MAX_STREAMS=2");
      assertThat(a.status()).isEqualTo(200);
      assertThat(b.status()).isEqualTo(200);
    }
    // The server notices the closed ones at their next keep-alive and frees their places.
    try (SseReader again = open("/api/events")) {
      assertThat(again.status()).isEqualTo(200);
    }
  }

  @Test
  void closingTheOrchestrator_endsItsStreams_atOnce() throws Exception {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(mesh.env());
    dev.jetmesh.orchestrator.Orchestrator standby =
        dev.jetmesh.orchestrator.Orchestrator.start(
            dev.jetmesh.orchestrator.config.OrchestratorConfig.from(env));
    try (SseReader s =
        SseReader.open("http://127.0.0.1:" + standby.httpPort() + "/api/events?since=0")) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.next(WAIT).data().path("seq").asLong())
          .as("a standby streams from the shared event_log")
          .isPositive();
      long t0 = System.nanoTime();
      standby.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(s.ended(WAIT)).as("the stream ends with the server").isTrue();
    }
  }

  /** Opens a stream, waiting while earlier tests' closed streams still hold the two places. */
  static SseReader open(String path, String... headers) {
    AtomicReference<SseReader> ok = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              SseReader s = SseReader.open(http.base() + path, headers);
              if (s.status() == 200) {
                ok.set(s);
                return true;
              }
              s.close();
              return false;
            });
    return ok.get();
  }

  static void submit(String id) {
    client.task("submit", Map.of("task_id", id, "title", "Task " + id));
  }

  static List<Seen> seen(List<SseReader.Event> events) {
    return events.stream()
        .map(e -> new Seen(e.id(), e.type(), e.data().path("aggregate_id").asText()))
        .toList();
  }

  /** What event_log holds for tasks after {@code seq}: the expected resumption. */
  static List<Seen> taskEventsAfter(long seq) throws Exception {
    List<Seen> out = new ArrayList<>();
    try (Connection c = mesh.db().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, type, aggregate_id FROM event_log"
                    + " WHERE aggregate = 'task' AND seq > ? ORDER BY seq")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Seen(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
    }
    return out;
  }
}
