package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.Load;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.OrchestratorProcess;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every task claimed exactly once, none lost: 8 claimers, 2,000 tasks; then two processes. */
class ConcurrentClaimIT {
  static final int TASKS = 2000;
  static final int CLAIMERS = 8;

  @Test
  void eightClaimers_claimEveryTaskExactlyOnce() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of())) {
      Load.submit(mesh.nats().url(), "cc", TASKS, 4);
      List<String> claimed = Load.drain(mesh.nats().url(), CLAIMERS, TASKS);
      assertExactlyOnce(mesh, claimed);
    }
  }

  @Test
  void twoOrchestratorProcesses_onOneStreamAndDatabase_stillClaimExactlyOnce() throws Exception {
    try (TestMesh mesh = TestMesh.withoutOrchestrator(Map.of());
        OrchestratorProcess a = OrchestratorProcess.start(mesh.env());
        OrchestratorProcess b = OrchestratorProcess.start(mesh.env())) {
      a.awaitHealthy(Duration.ofSeconds(60));
      b.awaitHealthy(Duration.ofSeconds(60));
      Load.submit(mesh.nats().url(), "two", TASKS, 4);
      List<String> claimed = Load.drain(mesh.nats().url(), CLAIMERS, TASKS);
      assertExactlyOnce(mesh, claimed);
      // Every request was decided by one process, the primary that projects and holds the claim
      // index: the standby left the queue group once it heard the primary, and forwarded what it
      // had received before. So the two never raced for one queue head, nor appended over each
      // other's events.
      OrchestratorProcess primary = metric(a, "mesh.tasks.complete", "OK") > 0 ? a : b;
      OrchestratorProcess standby = primary == a ? b : a;
      assertThat(metric(primary, "mesh.tasks.complete", "OK")).isEqualTo(TASKS);
      for (String cmd : List.of("claim", "start", "complete")) {
        assertThat(metric(primary, "mesh.tasks." + cmd, "FORWARDED")).as(cmd).isZero();
        assertThat(metric(standby, "mesh.tasks." + cmd, "OK")).as(cmd).isZero();
      }

      // The primary dies: the standby hears no beat, joins the queue group, takes the projector
      // lock and the claim index, and serves alone; the tasks submitted then are each claimed once.
      primary.kill9();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> {
                try (MeshClient c = new MeshClient(mesh.nats().url())) {
                  c.task("get", Map.of("task_id", "two-0"));
                  return true;
                }
              });
      Load.submit(mesh.nats().url(), "after", 200, 2);
      List<String> after = Load.drain(mesh.nats().url(), CLAIMERS, 200);
      assertThat(after).doesNotHaveDuplicates().hasSize(200);
      assertThat(metric(standby, "mesh.tasks.complete", "OK")).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  count(
                          mesh,
                          "SELECT count(*) FROM tasks WHERE status = 'completed'"
                              + " AND task_id LIKE 'after-%'")
                      == 200);
    }
  }

  static void assertExactlyOnce(TestMesh mesh, List<String> claimed) throws Exception {
    assertThat(claimed).doesNotHaveDuplicates().hasSize(TASKS);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < TASKS; i++) {
      expected.add((claimed.get(0).startsWith("cc") ? "cc" : "two") + "-" + i);
    }
    assertThat(new HashSet<>(claimed)).isEqualTo(expected);
    // The stream agrees: one task.claimed and one task.completed per task, nothing else claimed.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count(mesh, "SELECT count(*) FROM tasks WHERE status = 'completed'") == TASKS);
    assertThat(
            count(
                mesh,
                "SELECT count(*) FROM (SELECT aggregate_id FROM event_log WHERE type = 'task.claimed'"
                    + " GROUP BY aggregate_id HAVING count(*) <> 1) x"))
        .isZero();
    assertThat(count(mesh, "SELECT count(*) FROM event_log WHERE type = 'task.claimed'"))
        .isEqualTo(TASKS);
  }

  static long count(TestMesh mesh, String sql) throws Exception {
    try (Connection c = mesh.db().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The count of {@code jetmesh.requests} for {@code subject} with {@code outcome}. */
  static double metric(OrchestratorProcess p, String subject, String outcome) throws Exception {
    Matcher m =
        Pattern.compile(
                "jetmesh_requests_seconds_count\\{outcome=\""
                    + outcome
                    + "\",subject=\""
                    + Pattern.quote(subject)
                    + "\"\\} ([0-9.eE+]+)")
            .matcher(metrics(p));
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static String metrics(OrchestratorProcess p) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static double claimsServed(OrchestratorProcess p) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile(
                "jetmesh_requests_seconds_count\\{[^}]*subject=\"mesh\\.tasks\\.claim\"[^}]*\\}"
                    + " ([0-9.eE+]+)")
            .matcher(body);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }
}
