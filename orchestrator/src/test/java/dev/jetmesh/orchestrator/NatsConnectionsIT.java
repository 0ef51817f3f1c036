package dev.jetmesh.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.FreePorts;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import dev.jetmesh.schema.model.TaskSpec;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The projector fetches the stream on a connection of its own, so that the replies the request path
 * waits for (an append's acknowledgement) never queue behind a batch of events on the same socket.
 * Counted by nats-server's own monitoring (connz), per connection name.
 */
class NatsConnectionsIT {
  private static final int EVENTS = 1_000;

  @Test
  void eventsReachTheProjectorOnTheFeedConnection_andNoneCrossTheMainOne() throws Exception {
    int monitor = FreePorts.next();
    try (TestMesh mesh = TestMesh.start(Map.of(), "http: \"127.0.0.1:" + monitor + "\"")) {
      Map<String, JsonNode> before = connections(monitor);
      assertThat(before).containsKeys(NatsConnections.MAIN, NatsConnections.FEED);

      // Appended on a connection of the test's own: nothing here is a request to the orchestrator.
      long last = 0;
      try (Connection nc = Nats.connect(mesh.nats().url())) {
        EventStore store = new EventStore(nc, mesh.config().stream());
        Instant at = Instant.parse("2026-12-06T20:00:00Z");
        for (int i = 0; i < EVENTS; i++) {
          String id = "conn-" + i;
          TaskSpec spec = TaskSpec.withDefaults(id, "t " + i, "");
          last =
              store.appendAll(
                  Subjects.taskEvents(id),
                  List.of(Envelope.wrap(new TaskSubmitted(spec), id, "test", null, at)),
                  0);
        }
      }
      // Waited for in this process: asking the stream would send replies to the main connection.
      assertThat(mesh.orchestrator().watermark().awaitAtLeast(last, Duration.ofSeconds(30)))
          .isTrue();

      Map<String, JsonNode> after = connections(monitor);
      long toFeed = received(after, before, NatsConnections.FEED);
      long toMain = received(after, before, NatsConnections.MAIN);
      assertThat(toFeed).as("events delivered to the projector").isGreaterThanOrEqualTo(EVENTS);
      // The main connection hears only the primary's own beat meanwhile (two a second).
      assertThat(toMain).as("messages to the request connection meanwhile").isLessThan(EVENTS / 4);
      assertThat(mesh.orchestrator().natsConnected()).isTrue();
    }
  }

  /** Messages nats-server sent to connection {@code name} between two snapshots. */
  private static long received(
      Map<String, JsonNode> after, Map<String, JsonNode> before, String name) {
    return after.get(name).path("out_msgs").asLong() - before.get(name).path("out_msgs").asLong();
  }

  /** nats-server's connections by name (connz). */
  private static Map<String, JsonNode> connections(int monitor) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitor + "/connz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode c : Json.mapper().readTree(r.body()).path("connections")) {
      byName.put(c.path("name").asText(), c);
    }
    return byName;
  }
}
