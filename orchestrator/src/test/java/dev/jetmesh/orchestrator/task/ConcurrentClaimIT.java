package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.Load;
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
      // Both processes served claims (NATS queue group), so the exactly-once above was tested
      // across processes, not within one.
      assertThat(claimsServed(a)).isPositive();
      assertThat(claimsServed(b)).isPositive();
      // Yet every claim was decided by the one process that holds the claim index: the other
      // forwarded each of its claims there, so the two never raced for the same queue head.
      double forwardedByA = metric(a, "mesh.tasks.claim", "FORWARDED");
      double forwardedByB = metric(b, "mesh.tasks.claim", "FORWARDED");
      assertThat(Math.min(forwardedByA, forwardedByB)).isZero();
      assertThat(forwardedByA + forwardedByB).isPositive();
      OrchestratorProcess holder = forwardedByA > 0 ? b : a;
      OrchestratorProcess other = holder == a ? b : a;
      assertThat(metric(holder, "mesh.orchestrator.claim", "OK"))
          .isGreaterThanOrEqualTo(Math.max(forwardedByA, forwardedByB));
      assertThat(metric(other, "mesh.orchestrator.claim", "OK")).isZero();
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
