package dev.jetmesh.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for the processes tests and benchmarks start (nats-server, orchestrators): free when asked
 * for, and never handed out twice by this JVM. A port is only reserved once its process binds it, a
 * second or more later, and the kernel may hand the same free port to the next ask meanwhile: in
 * CI, two orchestrators started back to back got the same HTTP port, one exited on "address already
 * in use", and the other answered both health checks, so the test ran with one orchestrator where
 * it meant two.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int TRIES = 1_000;

  private FreePorts() {}

  /** A port free now that this JVM has not handed out before. */
  public static int next() {
    for (int i = 0; i < TRIES; i++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port left that was not handed out before");
  }
}
