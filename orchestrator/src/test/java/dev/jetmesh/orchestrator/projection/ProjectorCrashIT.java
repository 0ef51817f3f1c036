package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.TaskEvolver;
import dev.jetmesh.orchestrator.testing.Load;
import dev.jetmesh.orchestrator.testing.OrchestratorProcess;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Task;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the orchestrator while it projects; after a restart the read model equals what the
 * stream says: no missing and no duplicated rows.
 */
class ProjectorCrashIT {
  static final int TASKS = 3000;

  @Test
  void killNineDuringProjection_thenRestart_readModelEqualsStream() throws Exception {
    // Small batches, each partial one followed by a long wait, so that the projector is well
    // behind the stream when it is killed: on a quiet or slow machine it would otherwise keep up
    // with the submitters, and the kill would land between batches with nothing in flight.
    try (TestMesh mesh =
            TestMesh.withoutOrchestrator(
                Map.of("MESH_PROJECTOR_BATCH", "20", "MESH_PROJECTOR_LINGER_MS", "200"));
        Connection nc = Nats.connect(mesh.nats().url())) {
      EventStore store = new EventStore(nc, mesh.config().stream());
      OrchestratorProcess first =
          OrchestratorProcess.start(mesh.env()).awaitHealthy(Duration.ofSeconds(60));
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(
              () -> {
                try {
                  Load.submit(mesh.nats().url(), "crash", TASKS, 4);
                } catch (Exception e) {
                  // the orchestrator is killed under the submitters: expected
                }
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                long projected = checkpoint(mesh);
                return projected > 200 && store.lastSequence() - projected >= 20;
              });
      first.kill9();
      long killedAt = checkpoint(mesh);
      load.handle((v, e) -> null).get();

      long lastBefore = store.lastSequence();
      assertThat(killedAt).as("killed mid-projection").isLessThan(lastBefore);

      try (OrchestratorProcess second =
          OrchestratorProcess.start(mesh.env()).awaitHealthy(Duration.ofSeconds(60))) {
        // More traffic after the restart, through the new process.
        Load.submit(mesh.nats().url(), "after", 100, 2);
        long last = store.lastSequence();
        await().atMost(Duration.ofSeconds(60)).until(() -> checkpoint(mesh) == last);
        assertReadModelEqualsStream(mesh, store, last);
      }
    }
  }

  static void assertReadModelEqualsStream(TestMesh mesh, EventStore store, long last)
      throws Exception {
    try (var c = mesh.db().connect();
        Statement s = c.createStatement()) {
      // Every stream event projected exactly once, contiguous from 1.
      try (ResultSet rs = s.executeQuery("SELECT count(*), min(seq), max(seq) FROM event_log")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(last);
        assertThat(rs.getLong(2)).isEqualTo(1);
        assertThat(rs.getLong(3)).isEqualTo(last);
      }
      // Every task row equals the replay of its own subject: the document, and the columns that
      // claims, timers and lists query.
      Map<String, String> rows = new HashMap<>();
      Map<String, List<Object>> columns = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT task_id, doc::text, status, owner, claim_token, claimed_at, started_at,
                  completed_at, budget_deadline, last_seq, submitted_seq, priority, deps_pending
              FROM tasks
              """)) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
          List<Object> cols = new ArrayList<>();
          for (int i = 3; i <= 13; i++) {
            Object v = rs.getObject(i);
            cols.add(v instanceof java.sql.Timestamp ts ? ts.toInstant() : v);
          }
          columns.put(rs.getString(1), cols);
        }
      }
      long submitted;
      try (ResultSet rs =
          s.executeQuery("SELECT count(*) FROM event_log WHERE type = 'task.submitted'")) {
        rs.next();
        submitted = rs.getLong(1);
      }
      assertThat(rows).hasSize((int) submitted);
      // node_active holds exactly the held tasks, by owner.
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT count(*) FROM (
                  SELECT n.node_id, x.task_id FROM node_active n, unnest(n.task_ids) AS x(task_id)
                  EXCEPT ALL
                  SELECT owner, task_id FROM tasks WHERE status IN ('claimed', 'running')) d
              """)) {
        rs.next();
        assertThat(rs.getLong(1)).as("node_active rows not held").isZero();
      }
      try (ResultSet rs =
          s.executeQuery(
              """
              SELECT count(*) FROM (
                  SELECT owner, task_id FROM tasks WHERE status IN ('claimed', 'running')
                  EXCEPT ALL
                  SELECT n.node_id, x.task_id FROM node_active n, unnest(n.task_ids) AS x(task_id)) d
              """)) {
        rs.next();
        assertThat(rs.getLong(1)).as("held tasks missing from node_active").isZero();
      }
      for (Map.Entry<String, String> e : rows.entrySet()) {
        List<StoredEvent> history = store.read(Subjects.taskEvents(e.getKey()));
        Task replayed = TaskEvolver.replay(history);
        Task projected = Json.mapper().readValue(e.getValue(), Task.class);
        assertThat(projected).as(e.getKey()).isEqualTo(replayed);
        assertThat(columns.get(e.getKey()))
            .as(e.getKey() + " columns")
            .containsExactly(
                replayed.status().wire(),
                replayed.owner(),
                replayed.claimToken(),
                replayed.claimedAt(),
                replayed.startedAt(),
                replayed.completedAt(),
                replayed.budgetDeadline(),
                replayed.version(),
                history.get(0).seq(),
                replayed.priority(),
                0);
      }
    }
  }

  static long checkpoint(TestMesh mesh) throws Exception {
    try (var c = mesh.db().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT coalesce(max(last_seq), 0) FROM projection_checkpoint")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0; // schema not migrated yet
    }
  }
}
