package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jetmesh}: records its class-data archive once, then runs commands with it; says in one
 * line when there is no jar. Runs after Maven's package phase, which builds the jar.
 */
class LauncherIT {
  static final Path LAUNCHER = Path.of("../bin/jetmesh");
  static final Path JAR = Path.of("target/jetmesh-orchestrator.jar");

  record Run(int exit, String out) {}

  static Run run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  static List<Path> archives(Path cache) throws IOException {
    Path dir = cache.resolve("jetmesh");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  @Test
  void recordsItsArchiveOnce_thenRunsCommandsWithIt(@TempDir Path cache) throws Exception {
    assertThat(JAR).as("built by mvn package, before the integration tests").isRegularFile();
    Map<String, String> env =
        Map.of("XDG_CACHE_HOME", cache.toString(), "JETMESH_JAR", JAR.toAbsolutePath().toString());
    assertThat(archives(cache)).isEmpty();
    Run first = run(env, "--version");
    assertThat(first).isEqualTo(new Run(0, "jetmesh 0.1.0\n"));
    List<Path> recorded = archives(cache);
    assertThat(recorded).hasSize(1);
    long size = Files.size(recorded.get(0));
    assertThat(size).as("an archive with the CLI's classes").isGreaterThan(1 << 20);

    Run again = run(env, "show", "not a valid id");
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.out()).startsWith("jetmesh: Invalid task_id");
    assertThat(archives(cache)).isEqualTo(recorded);
  }

  @Test
  void withoutAJar_saysHowToBuildIt_andExits2(@TempDir Path cache) throws Exception {
    Run r =
        run(
            Map.of(
                "XDG_CACHE_HOME",
                cache.toString(),
                "JETMESH_JAR",
                cache.resolve("none.jar").toString()),
            "tasks");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).startsWith("jetmesh: no jar at ").contains("mvn").hasLineCount(1);
  }
}
