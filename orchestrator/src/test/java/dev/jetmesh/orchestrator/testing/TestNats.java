package dev.jetmesh.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;

/**
 * A private NATS server with JetStream for one test class: its own free port and its own store
 * directory, so that a test may kill, restart or fill it without disturbing anything else. Uses the
 * {@code nats-server} binary ({@code MESH_TEST_NATS_SERVER}, else {@code nats-server} on the PATH
 * or in /usr/sbin); where there is none and a Docker engine is available, a NATS container.
 */
public final class TestNats implements AutoCloseable {
  private final Path storeDir;
  private final String extraConfig;
  private final int port;
  private Process process;
  private GenericContainer<?> container;

  private TestNats(String extraConfig) {
    try {
      this.storeDir = Files.createTempDirectory("jetmesh-nats-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.extraConfig = extraConfig;
    this.port = FreePorts.next();
    launch();
  }

  /** A fresh server. */
  public static TestNats start(String extraConfig) {
    return new TestNats(extraConfig == null ? "" : extraConfig);
  }

  public static TestNats start() {
    return start("");
  }

  public String url() {
    if (container != null) {
      return "nats://" + container.getHost() + ":" + container.getMappedPort(4222);
    }
    return "nats://127.0.0.1:" + port;
  }

  public Path storeDir() {
    return storeDir;
  }

  private void launch() {
    Path binary = binary();
    if (binary == null && TestDatabase.dockerAvailable()) {
      container =
          new GenericContainer<>("nats:2.10-alpine").withCommand("-js").withExposedPorts(4222);
      container.start();
      return;
    }
    if (binary == null) {
      throw new IllegalStateException(
          "no nats-server binary (set MESH_TEST_NATS_SERVER) and no Docker engine");
    }
    try {
      Path conf = storeDir.resolve("nats.conf");
      Files.writeString(
          conf,
          "listen: 127.0.0.1:"
              + port
              + "\njetstream { store_dir: \""
              + storeDir.resolve("js")
              + "\" }\n"
              + extraConfig
              + "\n");
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-c", conf.toString()));
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(storeDir.resolve("nats.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitPort();
  }

  /** SIGKILL: the server dies without flushing anything. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * SIGSTOP: the server stops answering, its sockets stay open (a server starved of CPU, or a
   * network that holds packets back); {@link #resume} lets it go on where it stopped.
   */
  public void pause() {
    signal("-STOP");
  }

  /** SIGCONT, after {@link #pause}. */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String sig) {
    if (container != null) {
      var docker = container.getDockerClient();
      if (sig.equals("-STOP")) {
        docker.pauseContainerCmd(container.getContainerId()).exec();
      } else {
        docker.unpauseContainerCmd(container.getContainerId()).exec();
      }
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill " + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling nats-server", e);
    }
  }

  /** Starts the server again on the same port and store. */
  public void restart() {
    kill();
    launch();
  }

  private void awaitPort() {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (Instant.now().isBefore(deadline)) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (process != null && !process.isAlive()) {
          throw new IllegalStateException(
              "nats-server exited: see " + storeDir.resolve("nats.log"));
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException("nats-server did not listen on " + port);
  }

  private static Path binary() {
    String env = System.getenv("MESH_TEST_NATS_SERVER");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Path sbin = Path.of("/usr/sbin/nats-server");
    return Files.isExecutable(sbin) ? sbin : null;
  }

  @Override
  public void close() {
    kill();
    if (container != null) {
      container.stop();
    }
    try (Stream<Path> files = Files.walk(storeDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
