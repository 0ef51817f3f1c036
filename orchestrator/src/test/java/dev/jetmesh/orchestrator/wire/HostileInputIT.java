package dev.jetmesh.orchestrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.OrchestratorProcess;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.orchestrator.testing.hostile.HostileResult;
import dev.jetmesh.orchestrator.testing.hostile.HostileRun;
import dev.jetmesh.orchestrator.testing.hostile.HostileTarget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at scale against an orchestrator process (a private nats-server, a fresh database):
 * more than 10,000 malformed and adversarial requests on every wire subject and HTTP route, and
 * health beats. The process must still serve afterwards, the stream and every table must be as they
 * were, every request must get the coded refusal it expects, and nothing of it may be logged as a
 * warning or an error.
 */
class HostileInputIT {
  static final String TOKEN = "hostile-input-token-0123456789abcdef";
  static final int MAX_REQUEST_BYTES = 256 * 1024;

  static TestNats nats;
  static TestDatabase db;
  static OrchestratorProcess orchestrator;

  @BeforeAll
  static void up() {
    nats = TestNats.start();
    db = TestDatabase.create();
    orchestrator =
        OrchestratorProcess.start(
                Map.of(
                    "MESH_NATS_URL", nats.url(),
                    "MESH_DB_URL", db.url(),
                    "MESH_DB_USER", db.user(),
                    "MESH_DB_PASSWORD", db.password(),
                    "MESH_API_TOKEN", TOKEN,
                    "MESH_HTTP_HOST", "127.0.0.1",
                    "MESH_MAX_REQUEST_BYTES", String.valueOf(MAX_REQUEST_BYTES),
                    // nothing may change on its own during the run: no stall, no stale node
                    "MESH_STALL_MINUTES", "60",
                    "MESH_NODE_STALE_SECONDS", "3600"))
            .awaitHealthy(Duration.ofSeconds(60));
  }

  @AfterAll
  static void down() {
    if (orchestrator != null) {
      orchestrator.close();
    }
    if (db != null) {
      db.close();
    }
    if (nats != null) {
      nats.close();
    }
  }

  @Test
  void tenThousandHostileRequests_getCodedRefusals_andChangeNothing() throws Exception {
    HostileTarget target =
        new HostileTarget(
            nats.url(),
            "http://127.0.0.1:" + orchestrator.httpPort(),
            TOKEN,
            orchestrator.pid(),
            db.url(),
            db.user(),
            db.password(),
            "MESH_EVENTS",
            MAX_REQUEST_BYTES);

    // Its start's own warnings come before the line that says it serves.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> orchestrator.log().contains("jetmesh orchestrator serving on"));
    int logBefore = orchestrator.log().length();
    HostileResult r = HostileRun.run(target, Long.getLong("hostile.seed", 13L), 10_000, 32);
    System.out.println(r.report());
    // A handler that failed on a message nobody answers (a health beat) is only logged: the log of
    // the attack must hold no warning or error, which also keeps hostile input from flooding it.
    assertThat(orchestrator.log().substring(logBefore).lines())
        .as("warnings and errors the attack logged")
        .noneMatch(
            l ->
                l.matches("^\\S+ (WARN|ERROR) .*")
                    || l.startsWith("Exception in thread")
                    || l.startsWith("\tat "));

    assertThat(r.requests()).isGreaterThanOrEqualTo(10_000);
    assertThat(r.serving()).as("still serving; log:\n%s", tail()).isEmpty();
    assertThat(r.changes()).as("state changes").isEmpty();
    assertThat(r.holes()).as("replies that are not the expected coded refusal").isEmpty();
    assertThat(r.perTarget().keySet())
        .as("every wire subject was attacked")
        .contains(
            "mesh.tasks.submit",
            "mesh.orchestrator.fwd.mesh.tasks.claim",
            "mesh.collab.assignment",
            "mesh.plans.subtask.update",
            "mesh.nodes.remove",
            "mesh.health.*",
            "mesh.as.(bad sender).tasks.claim",
            "mesh.as.*.plans.create",
            "mesh.orchestrator.fwd.mesh.tasks.complete",
            "mesh.orchestrator.primary");
    for (String subject : NodeScope.served()) {
      assertThat(r.perTarget())
          .as("node-scoped %s was attacked", subject)
          .containsKey("mesh.as.*." + subject.substring("mesh.".length()));
    }
    for (String path : openApiPaths()) {
      assertThat(r.perTarget()).as("route %s was attacked", path).containsKey("GET " + path);
    }
  }

  /** Every path the running orchestrator documents in /openapi.json. */
  private static java.util.List<String> openApiPaths() throws Exception {
    var res =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + orchestrator.httpPort() + "/openapi.json"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    java.util.List<String> out = new java.util.ArrayList<>();
    dev.jetmesh.schema.Json.mapper()
        .readTree(res.body())
        .path("paths")
        .fieldNames()
        .forEachRemaining(out::add);
    assertThat(out).hasSizeGreaterThan(10);
    return out;
  }

  private static String tail() {
    String log = orchestrator.log();
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }
}
