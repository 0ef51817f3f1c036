package dev.jetmesh.bench;

import dev.jetmesh.orchestrator.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Orchestrators as users run them: {@code java -jar jetmesh-orchestrator.jar serve}, each its own
 * process with its own HTTP port, all on one stream and one database. Stopped with SIGTERM (then
 * SIGKILL after 10 s) on close.
 */
final class OrchestratorJars implements AutoCloseable {
  private static final Path JAR =
      Path.of(
          System.getProperty(
              "bench.orchestratorJar", "../orchestrator/target/jetmesh-orchestrator.jar"));

  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  /** Starts {@code n} orchestrators with {@code env} and waits until every one is healthy. */
  static OrchestratorJars start(int n, Map<String, String> env, Duration max)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          "no orchestrator jar at "
              + JAR.toAbsolutePath()
              + " (build it: package -pl orchestrator)");
    }
    OrchestratorJars o = new OrchestratorJars();
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int i = 0; i < n; i++) {
        int port = FreePorts.next();
        Path log = Files.createTempFile("jetmesh-bench-orchestrator-", ".log");
        List<String> cmd = new ArrayList<>(List.of(java));
        String extra =
            System.getProperty("bench.orchestratorJvmArgs", "").replace("{i}", String.valueOf(i));
        if (!extra.isBlank()) {
          cmd.addAll(List.of(extra.trim().split("\\s+", -1)));
        }
        cmd.addAll(List.of("-jar", JAR.toString(), "serve"));
        ProcessBuilder pb =
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("MESH_HTTP_PORT", String.valueOf(port));
        o.processes.add(pb.start());
        o.ports.add(port);
        o.logs.add(log);
      }
      for (int i = 0; i < n; i++) {
        o.await(i, "/health", max);
      }
      // One of them leads the projector and holds the claim index: the mesh is at full speed.
      o.awaitAny("/ready", max);
      return o;
    } catch (IOException | InterruptedException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  /** Process ids, for CPU accounting. */
  List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  private void await(int i, String path, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!processes.get(i).isAlive()) {
        throw new IllegalStateException("orchestrator " + i + " exited; log: " + logs.get(i));
      }
      if (answers(ports.get(i), path)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling a process we do not control
    }
    throw new IllegalStateException("orchestrator " + i + " not " + path + " within " + max);
  }

  private void awaitAny(String path, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      for (int port : ports) {
        if (answers(port, path)) {
          return;
        }
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling processes we do not control
    }
    throw new IllegalStateException("no orchestrator " + path + " within " + max);
  }

  private static boolean answers(int port, String path) throws InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    // The logs stay (temp files), for a round that went wrong.
    System.out.println("    orchestrator logs: " + logs);
  }
}
