package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The projector's leader lock ({@link LeaderLock}) changes hands whenever its holder stops leading,
 * also while the holder's process, and its connection pool, live on.
 */
class LeaderLockIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aProjectorThatHalts_inAnOrchestratorThatKeepsRunning_letsAStandbyElsewhereTakeOver()
      throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client();
        Orchestrator standby = Orchestrator.start(mesh.config())) {
      Orchestrator leader = mesh.orchestrator();
      client.task("submit", Map.of("task_id", "before", "title", "fine"));
      await().atMost(WAIT).until(() -> leader.projector().state() == Projector.State.RUNNING);
      await().atMost(WAIT).until(() -> standby.projector().state() == Projector.State.STANDBY);

      leader
          .store()
          .connection()
          .jetStream()
          .publish("mesh.evt.task.poison", "{not an event".getBytes(StandardCharsets.UTF_8));

      await().atMost(WAIT).until(() -> leader.projector().state() == Projector.State.HALTED);
      // The standby leads, projects from the checkpoint and halts at the same place, as
      // docs/operations.md says; before, the halted leader's pooled session kept the lock and the
      // standby waited for good.
      await().atMost(WAIT).until(() -> standby.projector().state() == Projector.State.HALTED);
      assertThat(standby.projector().haltReason()).contains("poison event at stream sequence 2");
      assertThat(advisoryLocks(mesh)).as("nobody leads a halted stream").isEmpty();
      assertThat(client.task("get", Map.of("task_id", "before")).path("status").asText())
          .as("the halted leader's orchestrator still serves")
          .isEqualTo("queued");
    }
  }

  @Test
  void restoreThenMigrate_andAReplace_holdNoAdvisoryLockOnceTheyReturn() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client()) {
      client.task("submit", Map.of("task_id", "one", "title", "one"));
      mesh.awaitProjected();
      mesh.stopOrchestrator();
      var c = mesh.config();
      // One database for both, open throughout, as a process that goes on after them holds it.
      try (Database db = Database.connect(c.dbUrl(), c.dbUser(), c.dbPassword(), 6);
          io.nats.client.Connection nc = Orchestrator.connectNats(c.natsUrl(), null)) {
        DeferredIndexes.restoreThenMigrate(
            db, c.stream(), () -> Orchestrator.projections(c, nc, db));
        assertThat(advisoryLocks(mesh)).as("after restoreThenMigrate").isEmpty();

        Rebuild.Report r =
            new Rebuild(
                    db,
                    d -> Orchestrator.projections(c, nc, d),
                    durable -> new EventFeed(nc, c.stream(), durable),
                    c.projectorBatch(),
                    line -> {})
                .replace(WAIT);

        assertThat(r.equal()).as(r.toString()).isTrue();
        assertThat(advisoryLocks(mesh)).as("after a replace").isEmpty();
      }
    }
  }

  /** The advisory locks held in the test's database: pid and key. */
  static List<String> advisoryLocks(TestMesh mesh) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = mesh.db().connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                """
                SELECT l.pid, l.objid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
                """)) {
      while (rs.next()) {
        out.add(rs.getString(1) + ":" + rs.getString(2));
      }
    }
    return out;
  }
}
