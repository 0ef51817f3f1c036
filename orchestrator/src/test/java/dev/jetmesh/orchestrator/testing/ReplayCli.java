package dev.jetmesh.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code jetmesh collab replay <session-id>} as a real process ({@code cli.Main} on this JVM's
 * class path), the way an operator audits a session. Stateless.
 */
public final class ReplayCli {
  private ReplayCli() {}

  /** What the command printed and its exit code. */
  public record Result(int exitCode, String output) {}

  /**
   * Runs the replay of {@code sessionId} with {@code env} added to this JVM's environment ({@code
   * MESH_NATS_URL}, {@code MESH_STREAM}, and the collab settings the orchestrator ran with).
   */
  public static Result run(Map<String, String> env, String sessionId) {
    try {
      Path out = Files.createTempFile("jetmesh-replay-", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-cp",
                      System.getProperty("java.class.path"),
                      "dev.jetmesh.orchestrator.cli.Main",
                      "collab",
                      "replay",
                      sessionId))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("collab replay " + sessionId + " did not end within 60 s");
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      return new Result(p.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Asserts that the replay of {@code sessionId} exits 0, recomputed at least one decision and
   * reports no mismatch; returns its output.
   */
  public static String assertReproduces(Map<String, String> env, String sessionId) {
    Result r = run(env, sessionId);
    assertThat(r.exitCode())
        .as("exit code of collab replay %s:%n%s", sessionId, r.output())
        .isZero();
    assertThat(r.output())
        .as("collab replay %s", sessionId)
        .contains("session " + sessionId + "\n")
        .contains("\nmismatches: 0\n")
        .doesNotContain("MISMATCH")
        .doesNotContain("\ndecisions recomputed: 0\n");
    return r.output();
  }
}
