package dev.jetmesh.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a child must die with its worker, and only then. */
class LifelineTest {
  @TempDir Path tmp;

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void aChildOfAWorkerKilledWithSigkill_dies() throws Exception {
    // given a worker process running a child, as it runs an LLM CLI
    Path pidFile = tmp.resolve("child.pid");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process worker =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LifelineHolder.class.getName(),
                pidFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("worker.log").toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
      long child = Long.parseLong(Files.readString(pidFile).strip());
      assertThat(ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
          .as("the child is the worker's own")
          .contains(worker.pid());

      // when the worker alone is killed with SIGKILL (not its children)
      worker.destroyForcibly();
      worker.waitFor();

      // then its child dies too
      await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child));
    } finally {
      worker.destroyForcibly();
    }
  }

  @Test
  void aChildStartedFromAThreadThatEnds_livesOn() throws Exception {
    // given a child started from a thread that ends once the child runs its program (setpriv has
    // asked for the signal by then: it executes the program after)
    AtomicReference<Process> started = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Process p = Lifeline.start(new ProcessBuilder("sleep", "30"));
                    started.set(p);
                    await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> p.info().command().orElse("").endsWith("/sleep"));
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    t.join();
    Process child = started.get();
    try {
      // then the child is not killed with that thread (the kernel ties the signal to the thread
      // that forked): it is forked by the spawner, which lives as long as the JVM
      assertThat(child.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/sleep"));
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(child::isAlive);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void setprivIsThere_onTheMachinesWeRunOn() {
    assertThat(Lifeline.available()).isTrue();
  }

  @Test
  void aProgramIsFoundAsTheJvmWouldFindIt() throws Exception {
    Path exe = Files.createFile(tmp.resolve("tool"));
    assertThat(exe.toFile().setExecutable(true)).isTrue();
    Files.createFile(tmp.resolve("plain"));
    File cwd = tmp.toFile();

    String path = "/nonexistent:" + tmp;

    assertThat(Lifeline.resolve("./tool", cwd, path)).isEqualTo("./tool");
    assertThat(Lifeline.resolve(exe.toString(), null, null)).isEqualTo(exe.toString());
    assertThat(Lifeline.resolve("tool", null, path)).isEqualTo(exe.toString());
    assertThat(Lifeline.resolve("tool", null, "/nonexistent")).isNull();
    assertThat(Lifeline.resolve("./plain", cwd, path)).as("not executable").isNull();
    assertThat(Lifeline.resolve("plain", cwd, path)).as("not executable").isNull();
    assertThat(Lifeline.resolve("/nonexistent/llm", cwd, path)).isNull();
    assertThat(Lifeline.resolve("bash", cwd, null)).isIn("/bin/bash", "/usr/bin/bash");
  }

  @Test
  void aMissingProgram_stillFailsToStart() {
    ProcessBuilder pb = new ProcessBuilder(List.of("no-such-program-anywhere"));
    assertThatThrownBy(() -> Lifeline.start(pb)).isInstanceOf(IOException.class);
    assertThat(pb.command()).containsExactly("no-such-program-anywhere");
  }
}
