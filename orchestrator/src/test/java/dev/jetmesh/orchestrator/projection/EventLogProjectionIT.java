package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code event_log} is a projection of its own, written beside the main one with its own
 * checkpoint: a restart finds it behind the main projection (a crash between the two commits) or
 * without a checkpoint at all (a database from before it had one), and must catch up exactly, with
 * the main projection applying nothing twice.
 */
class EventLogProjectionIT {
  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
    for (int i = 0; i < 12; i++) {
      client.task("submit", Map.of("task_id", "el-" + i, "title", "log " + i));
    }
    for (int i = 0; i < 5; i++) {
      String node = "el-node-" + i;
      com.fasterxml.jackson.databind.JsonNode t = client.task("claim", Map.of("node_id", node));
      client.task(
          "complete",
          Map.of(
              "task_id",
              t.path("task_id").asText(),
              "node_id",
              node,
              "claim_token",
              t.path("claim_token").asLong()));
    }
    mesh.awaitProjected();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  private static List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = mesh.db().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(rs.getString(i)).append('|');
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = mesh.db().connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private static final String TASKS =
      "SELECT task_id, status, owner, last_seq, doc::text FROM tasks ORDER BY task_id";
  private static final String LOG = "SELECT seq, type, aggregate_id FROM event_log ORDER BY seq";
  private static final String CHECKPOINTS =
      "SELECT name, last_seq FROM projection_checkpoint ORDER BY name";

  @Test
  void behindTheMainProjection_itCatchesUp_andTheMainOneAppliesNothingTwice() throws Exception {
    List<String> tasks = rows(TASKS);
    List<String> log = rows(LOG);
    long last = mesh.orchestrator().store().lastSequence();
    assertThat(log).hasSize((int) last);
    assertThat(rows(CHECKPOINTS)).containsExactly("event_log|" + last + "|", "main|" + last + "|");

    // As if the process died after the main projection committed, before event_log did.
    mesh.stopOrchestrator();
    execute("DELETE FROM event_log WHERE seq > 7");
    execute("UPDATE projection_checkpoint SET last_seq = 7 WHERE name = 'event_log'");
    mesh.startOrchestrator();
    mesh.awaitProjected();

    assertThat(rows(LOG)).isEqualTo(log);
    assertThat(rows(TASKS)).isEqualTo(tasks);
    assertThat(rows(CHECKPOINTS)).containsExactly("event_log|" + last + "|", "main|" + last + "|");
    // and it keeps going
    client.task("submit", Map.of("task_id", "el-after", "title", "after the catch-up"));
    mesh.awaitProjected();
    assertThat(rows(LOG)).hasSize((int) last + 1).startsWith(log.toArray(String[]::new));
  }

  @Test
  void withoutACheckpoint_itStartsWhereTheMainOneIs() throws Exception {
    List<String> log = rows(LOG);
    long last = mesh.orchestrator().store().lastSequence();
    // A database from before event_log had a checkpoint of its own: the log was written with the
    // main projection, so it is complete up to the main checkpoint.
    mesh.stopOrchestrator();
    execute("DELETE FROM projection_checkpoint WHERE name = 'event_log'");
    mesh.startOrchestrator();
    mesh.awaitProjected();
    assertThat(rows(CHECKPOINTS)).containsExactly("event_log|" + last + "|", "main|" + last + "|");
    assertThat(rows(LOG)).isEqualTo(log);
    assertThat(mesh.orchestrator().projector().state()).isEqualTo(Projector.State.RUNNING);
  }

  @Test
  void anEventTheLogCannotStore_isParkedUnderItsName_afterTheOnesBeforeIt() throws Exception {
    try (TestMesh m = TestMesh.start(Map.of())) {
      m.stopOrchestrator();
      try (var nc = io.nats.client.Nats.connect(m.nats().url())) {
        var store = new dev.jetmesh.orchestrator.store.EventStore(nc, m.config().stream());
        store.append(
            dev.jetmesh.schema.Subjects.taskEvents("fine"),
            dev.jetmesh.orchestrator.store.EventStoreIT.submitted("fine"),
            0);
        // A NUL in the description: requests refuse it now, but an older writer (or anyone with
        // access to the stream) could have appended it. tasks.doc (json) takes it; event_log's
        // payload (jsonb) cannot.
        var spec = dev.jetmesh.schema.model.TaskSpec.withDefaults("nul", "t", "a\u0000b");
        store.append(
            dev.jetmesh.schema.Subjects.taskEvents("nul"),
            dev.jetmesh.schema.events.Envelope.wrap(
                new dev.jetmesh.schema.events.TaskEvent.TaskSubmitted(spec),
                "nul",
                "test",
                null,
                java.time.Instant.now()),
            0);
      }
      m.startOrchestrator();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> m.orchestrator().projector().state() == Projector.State.HALTED);
      assertThat(m.orchestrator().projector().haltReason())
          .contains("poison event at stream sequence 2")
          .contains("parked in projection_poison for event_log");
      assertThat(m.orchestrator().watermark().current()).isEqualTo(1);
      try (Connection c = m.db().connect();
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT name, seq, reason FROM projection_poison")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("event_log");
          assertThat(rs.getLong(2)).isEqualTo(2);
          assertThat(rs.getString(3)).contains("\\u0000");
          assertThat(rs.next()).isFalse();
        }
        try (ResultSet rs = st.executeQuery("SELECT seq FROM event_log ORDER BY seq")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).as("the event before it is logged").isEqualTo(1);
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }
}
