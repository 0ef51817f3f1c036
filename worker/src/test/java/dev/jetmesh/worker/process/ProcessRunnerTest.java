package dev.jetmesh.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
  @TempDir Path tmp;

  private ProcessSpec spec(List<String> argv, Map<String, String> env, Duration timeout) {
    return new ProcessSpec(argv, tmp, env, tmp.resolve("out"), tmp.resolve("err"), timeout);
  }

  @Test
  void stdinIsClosed_andOutputsAreCaptured() {
    ProcessResult r =
        ProcessRunner.run(
            spec(
                List.of("bash", "-c", "cat; echo out; echo err >&2; exit 4"),
                Map.of("PATH", System.getenv("PATH")),
                Duration.ofSeconds(10)),
            ProcessGuard.NONE);
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.timedOut()).isFalse();
    assertThat(Outputs.read(tmp.resolve("out"))).isEqualTo("out\n");
    assertThat(Outputs.read(tmp.resolve("err"))).isEqualTo("err\n");
  }

  @Test
  void timeout_killsTheWholeTree() throws IOException {
    Path pid = tmp.resolve("child.pid");
    ProcessResult r =
        ProcessRunner.run(
            spec(
                List.of("bash", "-c", "sleep 300 & echo $! > child.pid; wait"),
                Map.of("PATH", System.getenv("PATH")),
                Duration.ofMillis(700)),
            ProcessGuard.NONE);
    assertThat(r.timedOut()).isTrue();
    long child = Long.parseLong(Files.readString(pid).strip());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void missingProgram_isAStartError() {
    ProcessResult r =
        ProcessRunner.run(
            spec(List.of("/nonexistent/llm"), Map.of(), Duration.ofSeconds(5)), ProcessGuard.NONE);
    assertThat(r.exitCode()).isNull();
    assertThat(r.startError()).isNotBlank();
  }

  @Test
  void environment_isStrippedByExactNameAndPrefix() {
    Map<String, String> env =
        ChildEnvironment.without(
            Map.of(
                "CLAUDECODE",
                "1",
                "CLAUDE_CODE_ENTRYPOINT",
                "cli",
                "CLAUDE_PATH",
                "/x",
                "HOME",
                "/h"),
            List.of("CLAUDE_CODE*", "CLAUDECODE"));
    assertThat(env).containsOnlyKeys("CLAUDE_PATH", "HOME");
  }

  @Test
  void tails_andHeads_areBounded() {
    assertThat(Outputs.tail("abcdef", 3)).isEqualTo("def");
    assertThat(Outputs.head("abcdef", 3)).isEqualTo("abc");
    assertThat(Outputs.tail(null, 3)).isEmpty();
  }
}
