package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.TestMesh;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starting without NATS, without Postgres or with bad configuration: one clear line, exit 2. */
class MainIT {
  record Run(int exit, String output) {}

  static Run run(Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()))
            .redirectErrorStream(true);
    pb.environment().put("MESH_HTTP_PORT", "0");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void unreachableNats_isOneClearLine_andExitCode2() throws Exception {
    Run r = run(Map.of("MESH_NATS_URL", "nats://127.0.0.1:1"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output().strip().lines()).hasSize(1);
    assertThat(r.output()).startsWith("jetmesh: cannot connect to NATS at nats://127.0.0.1:1");
  }

  @Test
  void malformedNatsUrl_isOneClearLine_andExitCode2() throws Exception {
    Run r = run(Map.of("MESH_NATS_URL", "nats://:::"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output().strip().lines()).hasSize(1);
    assertThat(r.output())
        .isEqualToIgnoringNewLines(
            "jetmesh: MESH_NATS_URL is not a NATS URL (nats://host:port): nats://:::");
  }

  @Test
  void unreachablePostgres_isOneClearLine_andExitCode2() throws Exception {
    // NATS must be reachable for this case to reach Postgres; a private server keeps it isolated.
    try (var nats = dev.jetmesh.orchestrator.testing.TestNats.start()) {
      Run r =
          run(
              Map.of(
                  "MESH_NATS_URL",
                  nats.url(),
                  "MESH_DB_URL",
                  "jdbc:postgresql://127.0.0.1:1/jetmesh"));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.output().strip().lines()).hasSize(1);
      assertThat(r.output())
          .startsWith(
              "jetmesh: cannot connect to Postgres at jdbc:postgresql://127.0.0.1:1/jetmesh");
      assertThat(r.output()).doesNotContain("\tat ");
    }
  }

  @Test
  void busyHttpPort_isOneClearLineNamingMeshHttpPort_andExitCode2() throws Exception {
    // A running orchestrator holds the port (and has set up the stream and the schema, so the
    // second one gets as far as the HTTP server before it fails).
    try (TestMesh mesh = TestMesh.start(Map.of())) {
      int port = mesh.orchestrator().httpPort();
      Map<String, String> env = new HashMap<>(mesh.env());
      env.put("MESH_HTTP_PORT", String.valueOf(port));
      Run r = run(env);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.output().strip())
          .isEqualTo(
              "jetmesh: cannot serve HTTP on 127.0.0.1:"
                  + port
                  + " (MESH_HTTP_HOST, MESH_HTTP_PORT): Address already in use; choose a free"
                  + " port with MESH_HTTP_PORT");
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("the first one still serves").isEqualTo(200);
    }
  }

  @Test
  void badConfiguration_isOneClearLine_andExitCode2() throws Exception {
    Run r = run(Map.of("MESH_STALL_MINUTES", "soon"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output().strip()).isEqualTo("jetmesh: MESH_STALL_MINUTES must be a number: soon");
  }
}
