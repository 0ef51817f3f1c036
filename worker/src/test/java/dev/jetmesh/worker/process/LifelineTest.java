package dev.jetmesh.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.Pids;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: a child must die with its worker, and only then. */
class LifelineTest {
  @TempDir Path tmp;

  private static long pid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  private static boolean written(Path file) throws IOException {
    return Files.exists(file) && Files.size(file) > 0;
  }

  @Test
  void aChildOfAWorkerKilledWithSigkill_dies() throws Exception {
    // given a worker running an LLM CLI, which started a tool command of its own
    // when the worker alone is killed with SIGKILL
    long[] pids = runThenKillTheWorker();

    // then the LLM CLI stops; its tool command is not covered (docs/worker.md) and runs on
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> !Pids.running(pids[0]));
      assertThat(Pids.running(pids[1])).as("a process the child started is not covered").isTrue();
    } finally {
      for (long pid : pids) {
        if (Pids.running(pid)) { // a pid whose process is gone may already name another
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  /** Starts {@link LifelineHolder}, waits for its child and tool, kills it alone: their pids. */
  private long[] runThenKillTheWorker() throws Exception {
    Path llmPid = tmp.resolve("llm.pid");
    Path toolPid = tmp.resolve("tool.pid");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process worker =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LifelineHolder.class.getName(),
                llmPid.toString(),
                toolPid.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("worker.log").toFile())
            .start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> written(llmPid) && written(toolPid));
      long llm = pid(llmPid);
      long tool = pid(toolPid);
      assertThat(worker.descendants().map(ProcessHandle::pid))
          .as("both run under the worker")
          .contains(llm, tool);
      worker.destroyForcibly();
      worker.waitFor();
      return new long[] {llm, tool};
    } catch (RuntimeException | Error e) {
      worker.destroyForcibly();
      for (Path f : List.of(llmPid, toolPid)) {
        if (written(f)) {
          ProcessHandle.of(pid(f)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      throw e;
    }
  }

  @Test
  void aChildStartedFromAThreadThatEnds_livesOn() throws Exception {
    // given a child started from a thread that ends once the program runs (setpriv has asked for
    // the signal by then: it runs the program after)
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
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(child::isAlive);
    } finally {
      ProcessTrees.kill(child.toHandle());
    }
  }

  @Test
  void theProgramGetsItsArgumentsAsTheyAre_andItsStatusComesBack() {
    // given arguments a shell would interpret
    List<String> args =
        List.of("a b", "", "$(touch pwned)", "`id`", "'q'", "\"dq\"", "-p", "--", "*", "x\ny");
    ProcessResult r =
        run(
            Stream.concat(
                    Stream.of("bash", "-c", "printf '<%s>' \"$@\"; exit 7", "prog"), args.stream())
                .toList());

    // then each arrives as one argument, untouched, and the exit status is the program's
    assertThat(r.exitCode()).isEqualTo(7);
    assertThat(Outputs.read(tmp.resolve("out")))
        .isEqualTo("<a b><><$(touch pwned)><`id`><'q'><\"dq\"><-p><--><*><x\ny>");
    assertThat(tmp.resolve("pwned")).doesNotExist();
  }

  @Test
  void theProgramKeepsTheNameItWasGiven() {
    // given a program named as callers name it, found on the PATH
    ProcessResult r = run(List.of("bash", "-c", "tr '\\0' '|' < /proc/$$/cmdline"));

    // then its argv[0] is that name, not the path it was found at
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(Outputs.read(tmp.resolve("out"))).startsWith("bash|-c|");
  }

  @Test
  void aProgramThatCannotStart_isReportedUnderItsOwnName() {
    // given an argument over Linux's 128 KiB limit for one argument
    ProcessResult r = run(List.of("true", "x".repeat(200_000)));

    // then the start fails, and the error names the program, not the supervision around it
    assertThat(r.exitCode()).isNull();
    assertThat(r.startError())
        .contains("\"true\"")
        .contains("Argument list too long")
        .doesNotContain("setpriv");
  }

  private ProcessResult run(List<String> argv) {
    return ProcessRunner.run(
        new ProcessSpec(
            argv,
            tmp,
            Map.of("PATH", System.getenv("PATH")),
            tmp.resolve("out"),
            null,
            Duration.ofSeconds(10)),
        ProcessGuard.NONE);
  }

  @Test
  void anInterruptedCaller_stillGetsItsChild() throws Exception {
    // given a caller interrupted before it starts a child
    Thread.currentThread().interrupt();
    Process p;
    try {
      p = Lifeline.start(new ProcessBuilder("sleep", "30"));
    } finally {
      // then it got the process (nobody else would watch it), and its interrupt back
      assertThat(Thread.interrupted()).isTrue();
    }
    try {
      assertThat(p.isAlive()).isTrue();
    } finally {
      ProcessTrees.kill(p.toHandle());
    }
  }

  @Test
  void supervisionIsThere_onTheMachinesWeRunOn() {
    assertThat(Lifeline.available()).isTrue();
  }

  @Test
  void aProgramIsLookedUpOnTheChildsPath() throws Exception {
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
    assertThat(Lifeline.resolve("tool", cwd, "sub:."))
        .as("relative to the child's directory")
        .isEqualTo(exe.toString());
    assertThat(Lifeline.resolve("a\0b", cwd, path)).as("no such name").isNull();
  }

  @Test
  void aMissingProgram_stillFailsToStart() {
    ProcessBuilder pb = new ProcessBuilder(List.of("no-such-program-anywhere"));
    assertThatThrownBy(() -> Lifeline.start(pb)).isInstanceOf(IOException.class);
    assertThat(pb.command()).containsExactly("no-such-program-anywhere");
  }
}
