package dev.jetmesh.bench;

import dev.jetmesh.bench.Driver.ClaimRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The claim latency this machine allows: the depth phase's cycles, with the same claimers, pacing
 * and driver, against a {@link FloorResponder} in its own JVM instead of the orchestrator. The
 * floor pays for the driver, NATS, a JVM's request dispatch and one JetStream append per request,
 * and for nothing the orchestrator decides, projects or stores; the claim figures beside it show
 * what the orchestrator adds.
 */
final class ClaimFloor implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ClaimFloor(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the responder on {@code natsUrl} and waits until it serves. */
  static ClaimFloor start(String natsUrl, Duration max) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("jetmesh-bench-floor-", ".log");
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    FloorResponder.class.getName(),
                    natsUrl))
            .redirectError(log.toFile())
            .start();
    ClaimFloor floor = new ClaimFloor(p, log);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + max.toNanos();
    String line;
    while ((line = out.readLine()) != null && !line.equals("ready")) {
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    if (!"ready".equals(line)) {
      floor.close();
      throw new IllegalStateException("the floor responder did not start; its log: " + log);
    }
    return floor;
  }

  /** The depth phase's loop, closed or paced, on the floor's subjects. */
  ClaimRun run(String natsUrl, String runId, BenchConfig c, int cycles, long pauseMillis)
      throws InterruptedException {
    return Driver.claimLoop(
        FloorResponder.PREFIX,
        natsUrl,
        runId,
        c.claimers(),
        cycles,
        c.warmupClaims(),
        runId + "r",
        pauseMillis,
        c.phaseTimeout());
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // the responder stops when its input ends
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    if (!process.isAlive() && process.exitValue() != 0) {
      System.out.println("    floor responder exited " + process.exitValue() + "; log: " + log);
    }
  }
}
