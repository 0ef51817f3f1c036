package dev.jetmesh.orchestrator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An orchestrator as a real operating-system process (same class path as the test JVM), so that
 * tests can kill it with SIGKILL or run two at once. Its log goes to a temporary file.
 */
public final class OrchestratorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int httpPort;

  private OrchestratorProcess(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /** Starts {@code dev.jetmesh.orchestrator.cli.Main} with {@code env} added to this JVM's. */
  public static OrchestratorProcess start(Map<String, String> env) {
    int port = FreePorts.next();
    try {
      Path log = Files.createTempFile("jetmesh-orchestrator-", ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      "dev.jetmesh.orchestrator.cli.Main"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      pb.environment().put("MESH_HTTP_PORT", String.valueOf(port));
      return new OrchestratorProcess(pb.start(), log, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until /health answers 200. */
  public OrchestratorProcess awaitHealthy(Duration max) {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(max);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "orchestrator exited " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("orchestrator not healthy in " + max + ":\n" + log());
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL. */
  public void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public File logFile() {
    return log.toFile();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
