package dev.jetmesh.worker.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker as a real operating-system process ({@code WorkerMain} on this JVM's class path) with
 * exactly the given environment; its stdout and stderr go to separate files. {@link #close} kills
 * it and everything it started, including children orphaned by {@link #kill9}. Not thread-safe.
 */
final class WorkerProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final List<ProcessHandle> orphans = new ArrayList<>();

  private WorkerProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code WorkerMain args} in {@code logDir} (created) with {@code env} as its whole env.
   */
  static WorkerProcess start(Map<String, String> env, Path logDir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.jetmesh.worker.WorkerMain");
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(logDir);
      Path out = logDir.resolve("worker.out");
      Path err = logDir.resolve("worker.log");
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().clear();
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      return new WorkerProcess(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as a crash would: its children are left running (and killed by {@link #close}). */
  void kill9() {
    orphans.addAll(process.descendants().toList());
    process.destroyForcibly();
    waitQuietly(Duration.ofSeconds(10));
  }

  /** Waits for the exit and returns the exit code; fails when it does not exit in time. */
  int awaitExit(Duration max) {
    if (!waitQuietly(max)) {
      throw new AssertionError("worker did not exit within " + max + "; log:\n" + log());
    }
    return process.exitValue();
  }

  /** What the worker printed on stdout (dry-run output). */
  String stdout() {
    return read(stdout);
  }

  /** The worker's log (stderr). */
  String log() {
    return read(stderr);
  }

  /** The worker's process id and its live descendants, for diagnostics. */
  List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  @Override
  public void close() {
    orphans.addAll(process.descendants().toList());
    process.destroyForcibly();
    waitQuietly(Duration.ofSeconds(10));
    for (ProcessHandle h : orphans) {
      h.destroyForcibly();
    }
  }

  private boolean waitQuietly(Duration max) {
    try {
      return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
