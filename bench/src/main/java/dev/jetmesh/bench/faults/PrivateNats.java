package dev.jetmesh.bench.faults;

import dev.jetmesh.orchestrator.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The suite's own {@code nats-server} (the one on the PATH, or {@code MESH_NATS_SERVER}): a free
 * port, a JetStream store under the suite's directory, killed and restarted by the faults. The
 * store outlives a kill. Not thread-safe.
 *
 * <p>nats-server 2.9 has no {@code sync_interval}: a message is written to its block file (the page
 * cache) before the publish is acknowledged, and fsync'd every 2 minutes. A SIGKILL of the process
 * loses nothing written; a power loss could lose up to 2 minutes. From 2.10 on, the config file
 * asks for {@code sync_interval: always} when {@code MESH_NATS_SYNC_ALWAYS=1}.
 */
final class PrivateNats implements AutoCloseable {
  private final Path dir;
  private final int port;
  private @Nullable Proc proc;
  private int starts;

  PrivateNats(Path dir) {
    this.dir = dir;
    this.port = FreePorts.next();
    try {
      Files.createDirectories(dir);
      String sync =
          "1".equals(System.getenv("MESH_NATS_SYNC_ALWAYS")) ? ", sync_interval: always" : "";
      Files.writeString(
          dir.resolve("nats.conf"),
          "listen: 127.0.0.1:"
              + port
              // room for the oversized-event fault: an event over the orchestrator's 1 MiB limit
              + "\nmax_payload: 4194304"
              + "\njetstream { store_dir: \""
              + dir.resolve("js")
              + "\""
              + sync
              + " }\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  void start() {
    String bin = System.getenv().getOrDefault("MESH_NATS_SERVER", "nats-server");
    starts++;
    proc =
        Proc.start(
            "nats-server",
            List.of(bin, "-c", dir.resolve("nats.conf").toString()),
            Map.of(),
            dir.resolve("nats.log"));
    Ports.await("127.0.0.1", port, 15_000, proc);
  }

  /** SIGKILL: nothing is flushed or closed. */
  void kill9() {
    if (proc != null) {
      proc.kill9();
      proc = null;
    }
  }

  int starts() {
    return starts;
  }

  @Override
  public void close() {
    if (proc != null) {
      proc.term(java.time.Duration.ofSeconds(5));
      proc = null;
    }
  }

  /** Waiting for a listener. */
  static final class Ports {
    private Ports() {}

    static void await(String host, int port, long millis, Proc proc) {
      long deadline = System.currentTimeMillis() + millis;
      while (System.currentTimeMillis() < deadline) {
        try (Socket s = new Socket(host, port)) {
          return;
        } catch (IOException e) {
          if (!proc.alive()) {
            throw new IllegalStateException(proc.name() + " exited:\n" + proc.tail(20));
          }
          Sleep.millis(20);
        }
      }
      throw new IllegalStateException(proc.name() + " did not listen on " + port);
    }
  }
}
