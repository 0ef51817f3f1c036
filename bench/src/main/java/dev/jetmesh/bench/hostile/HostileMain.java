package dev.jetmesh.bench.hostile;

import dev.jetmesh.orchestrator.testing.FreePorts;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.orchestrator.testing.hostile.HostileResult;
import dev.jetmesh.orchestrator.testing.hostile.HostileRun;
import dev.jetmesh.orchestrator.testing.hostile.HostileTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hostile-input generator against the orchestrator jar ({@code java -jar
 * jetmesh-orchestrator.jar serve}) on a private nats-server and a fresh database, prints the
 * figures and writes them to {@code hostile.out}. Exits 1 when the process stopped serving,
 * something changed, or a reply was not the coded refusal expected. Settings (system properties):
 * {@code hostile.seed} (13), {@code hostile.requests} (10000), {@code hostile.concurrency} (32),
 * {@code hostile.jar}, {@code hostile.out}.
 */
public final class HostileMain {
  private static final String TOKEN = "hostile-input-token-0123456789abcdef";
  private static final int MAX_REQUEST_BYTES = 256 * 1024;

  private HostileMain() {}

  public static void main(String[] args) throws Exception {
    long seed = Long.getLong("hostile.seed", 13L);
    int requests = Integer.getInteger("hostile.requests", 10_000);
    int concurrency = Integer.getInteger("hostile.concurrency", 32);
    Path jar =
        Path.of(
            System.getProperty("hostile.jar", "../orchestrator/target/jetmesh-orchestrator.jar"));
    Path out = Path.of(System.getProperty("hostile.out", "target/hostile-results.md"));
    if (!Files.isRegularFile(jar)) {
      System.err.println("hostile: no orchestrator jar at " + jar.toAbsolutePath());
      System.exit(2);
    }
    HostileResult r;
    try (TestNats nats = TestNats.start();
        TestDatabase db = TestDatabase.create()) {
      int port = FreePorts.next();
      Path log = out.resolveSibling("hostile-orchestrator.log");
      Files.createDirectories(log.getParent());
      Process p = serve(jar, log, port, nats, db);
      try {
        awaitHealthy(p, port, log);
        r =
            HostileRun.run(
                new HostileTarget(
                    nats.url(),
                    "http://127.0.0.1:" + port,
                    TOKEN,
                    p.pid(),
                    db.url(),
                    db.user(),
                    db.password(),
                    "MESH_EVENTS",
                    MAX_REQUEST_BYTES),
                seed,
                requests,
                concurrency);
      } finally {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
    String report = r.report();
    System.out.println(report);
    Files.writeString(out, report);
    System.out.println("written to " + out.toAbsolutePath());
    boolean clean = r.serving().isEmpty() && r.changes().isEmpty() && r.holes().isEmpty();
    System.exit(clean ? 0 : 1);
  }

  private static Process serve(Path jar, Path log, int port, TestNats nats, TestDatabase db)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(List.of(java, "-jar", jar.toString(), "serve"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "MESH_NATS_URL", nats.url(),
                "MESH_DB_URL", db.url(),
                "MESH_DB_USER", db.user(),
                "MESH_DB_PASSWORD", db.password(),
                "MESH_HTTP_PORT", String.valueOf(port),
                "MESH_HTTP_HOST", "127.0.0.1",
                "MESH_API_TOKEN", TOKEN,
                "MESH_MAX_REQUEST_BYTES", String.valueOf(MAX_REQUEST_BYTES),
                // nothing may change on its own during the run: no stall, no stale node
                "MESH_STALL_MINUTES", "60",
                "MESH_NODE_STALE_SECONDS", "3600"));
    return pb.start();
  }

  private static void awaitHealthy(Process p, int port, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("orchestrator exited: see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<Void> h =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (h.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "orchestrator not healthy in 90 s: see " + log.toAbsolutePath());
  }
}
