package dev.jetmesh.bench.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the suite (an argument vector, never a shell string) whose output goes to a
 * log file. Not thread-safe: one fault drives it.
 */
final class Proc {
  private final String name;
  private final Process process;
  private final Path log;

  private Proc(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code argv} with {@code env} added to this JVM's environment. */
  static Proc start(String name, List<String> argv, Map<String, String> env, Path log) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      return new Proc(name, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * SIGKILL to the process alone, as {@code kill -9 <pid>} sends it, and waits until it is gone.
   * What it started is left to fend for itself: a worker's LLM must die with it on its own.
   */
  void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to the process and everything it started: cleaning up, not a fault. */
  void killTree() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM; returns the milliseconds until the process exited, or -1 when it had not exited within
   * {@code max} (it is then killed).
   */
  long term(Duration max) {
    long t0 = System.nanoTime();
    process.destroy();
    try {
      if (process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        return (System.nanoTime() - t0) / 1_000_000;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    killTree();
    return -1;
  }

  int exitValue() {
    return process.exitValue();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The last {@code lines} lines of the log, for a failure message. */
  String tail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  Path logFile() {
    return log;
  }
}
