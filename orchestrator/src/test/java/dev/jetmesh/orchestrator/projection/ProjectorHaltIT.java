package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.TaskSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The projector halts loudly instead of guessing: poison events, and a stream behind the model. */
class ProjectorHaltIT {

  @Test
  void poisonEvent_isParkedWithItsReason_andHaltsTheProjector_neverSkipped() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client()) {
      client.task("submit", Map.of("task_id", "before", "title", "fine"));
      // Bytes that are not an event, written straight into the stream under a task subject.
      mesh.orchestrator()
          .store()
          .connection()
          .jetStream()
          .publish("mesh.evt.task.poison", "{not an event".getBytes(StandardCharsets.UTF_8));
      client.task("submit", Map.of("task_id", "after", "title", "fine too"));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> mesh.orchestrator().projector().state() == Projector.State.HALTED);
      assertThat(mesh.orchestrator().projector().haltReason())
          .contains("poison event at stream sequence 2");
      try (var c = mesh.db().connect();
          Statement s = c.createStatement()) {
        try (ResultSet rs =
            s.executeQuery("SELECT seq, subject, reason, raw FROM projection_poison")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("seq")).isEqualTo(2);
          assertThat(rs.getString("subject")).isEqualTo("mesh.evt.task.poison");
          assertThat(rs.getString("reason")).contains("not JSON");
          assertThat(rs.getString("raw")).isEqualTo("{not an event");
        }
        // The event before the poison is projected; the one after it is not skipped past.
        try (ResultSet rs = s.executeQuery("SELECT last_seq FROM projection_checkpoint")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(1);
        }
        try (ResultSet rs = s.executeQuery("SELECT task_id FROM tasks ORDER BY task_id")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("before");
          assertThat(rs.next()).isFalse();
        }
      }
      // /health says so.
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + mesh.orchestrator().httpPort() + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("halted").contains("poison event");
      // and a metric names the event, for alerts that do not read logs
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + mesh.orchestrator().httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).containsPattern("(?m)^jetmesh_projector_halted_seq 2(\\.0)?$");
      // Commands are still served: the stream stays the source of truth.
      assertThat(client.task("get", Map.of("task_id", "after")).path("status").asText())
          .isEqualTo("queued");
    }
  }

  @Test
  void eventOverTheSizeLimit_haltsTheProjector_andTheOrchestratorNeverAppendsOne()
      throws Exception {
    // A server that takes 4 MB messages, as if somebody raised max_payload and then wrote a
    // well-formed event bigger than any orchestrator appends straight into the stream.
    try (TestMesh mesh = TestMesh.start(Map.of(), "max_payload: 4194304");
        MeshClient client = mesh.client()) {
      client.task("submit", Map.of("task_id", "before", "title", "fine"));
      String huge = "x".repeat(EventStore.MAX_EVENT_BYTES);
      Envelope big =
          Envelope.wrap(
              new TaskEvent.TaskSubmitted(TaskSpec.withDefaults("big", "big", huge)),
              "big",
              "test",
              null,
              Instant.now());
      EventStore store = mesh.orchestrator().store();
      assertThatThrownBy(() -> store.append(Subjects.taskEvents("big"), big, 0))
          .isInstanceOf(MeshException.class)
          .hasMessageContaining("Event too large: task.submitted");
      store.connection().jetStream().publish(Subjects.taskEvents("big"), EventCodec.encode(big));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> mesh.orchestrator().projector().state() == Projector.State.HALTED);
      assertThat(mesh.orchestrator().projector().haltReason())
          .contains("poison event at stream sequence 2")
          .contains("over the limit of " + EventStore.MAX_EVENT_BYTES);
      try (var c = mesh.db().connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT last_seq FROM projection_checkpoint")) {
        rs.next();
        assertThat(rs.getLong(1)).as("not skipped, not projected").isEqualTo(1);
      }
    }
  }

  @Test
  void unknownEventType_isPoison() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of())) {
      String bogus =
          "{\"event_id\":\"7d1f0f6e-2a7e-4c35-9a56-0c1a3f2b8e11\",\"type\":\"task.teleported\","
              + "\"version\":1,\"aggregate\":\"task\",\"aggregate_id\":\"x\","
              + "\"occurred_at\":\"2026-01-01T00:00:00Z\",\"actor\":null,\"causation_id\":null,"
              + "\"payload\":{}}";
      mesh.orchestrator()
          .store()
          .connection()
          .jetStream()
          .publish("mesh.evt.task.x", bogus.getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> mesh.orchestrator().projector().state() == Projector.State.HALTED);
      assertThat(mesh.orchestrator().projector().haltReason())
          .contains("unknown event type: task.teleported");
    }
  }

  @Test
  void streamBehindCheckpoint_haltsAtStart_insteadOfGuessing() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client()) {
      client.task("submit", Map.of("task_id", "one", "title", "one"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> mesh.orchestrator().watermark().current() >= 1);
      mesh.stopOrchestrator();
      // The read model claims more than the stream holds: as if the stream had lost events.
      try (var c = mesh.db().connect();
          Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE projection_checkpoint SET last_seq = 1000");
      }
      mesh.startOrchestrator();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> mesh.orchestrator().projector().state() == Projector.State.HALTED);
      assertThat(mesh.orchestrator().projector().haltReason())
          .contains("ends at sequence 1")
          .contains("projected up to 1000")
          .contains("lost events");
    }
  }

  @Test
  void holeInTheStream_isNotSkipped_theProjectorRepositionsOnce_thenHalts() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client()) {
      mesh.stopOrchestrator();
      try (var nc = io.nats.client.Nats.connect(mesh.nats().url())) {
        var store = new dev.jetmesh.orchestrator.store.EventStore(nc, mesh.config().stream());
        for (String id : new String[] {"h1", "h2", "h3"}) {
          store.append(
              dev.jetmesh.schema.Subjects.taskEvents(id),
              dev.jetmesh.orchestrator.store.EventStoreIT.submitted(id),
              0);
        }
        // Someone deletes event 2 from the stream: events 1 and 3 remain.
        nc.jetStreamManagement().deleteMessage(mesh.config().stream(), 2);
      }
      mesh.startOrchestrator();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> mesh.orchestrator().projector().state() == Projector.State.HALTED);
      assertThat(mesh.orchestrator().projector().haltReason())
          .contains("gap in the event stream: checkpoint is 1 but the next event is 3")
          .contains("after repositioning");
      try (var c = mesh.db().connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT last_seq FROM projection_checkpoint")) {
        rs.next();
        assertThat(rs.getLong(1)).as("nothing past the hole is applied").isEqualTo(1);
      }
    }
  }
}
