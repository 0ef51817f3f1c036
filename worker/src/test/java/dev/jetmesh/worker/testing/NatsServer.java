package dev.jetmesh.worker.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real {@code nats-server -js} on a free port with its own store; closing kills it. */
public final class NatsServer implements AutoCloseable {
  private final Process process;
  private final String url;

  private NatsServer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts one; the test is skipped when no {@code nats-server} is installed. */
  public static NatsServer start(Path dir) throws IOException, InterruptedException {
    String binary =
        List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")
            .stream()
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElse(null);
    assumeTrue(binary != null, "nats-server is not installed");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                binary, "-js", "-a", "127.0.0.1", "-p", String.valueOf(port), "-sd", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nats.log").toFile())
            .start();
    String url = "nats://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Connection c = Nats.connect(Options.builder().server(url).maxReconnects(0).build())) {
        return new NatsServer(p, url);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  public String url() {
    return url;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
