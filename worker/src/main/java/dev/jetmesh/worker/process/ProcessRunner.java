package dev.jetmesh.worker.process;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one child process to its end. The child gets the argument vector as it is (never a shell
 * string), stdin from {@code /dev/null}, exactly the environment of the {@link ProcessSpec}, and
 * files for its output: files rather than pipes, so that a grandchild that keeps the output open
 * cannot make the runner hang after the child exits. Where setpriv is available, the child dies
 * with the worker, even one killed with SIGKILL ({@link Lifeline}). Stateless and thread-safe.
 */
public final class ProcessRunner {
  private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);
  private static final File DEV_NULL = new File("/dev/null");

  private ProcessRunner() {}

  /**
   * Starts the child and blocks until it exits, its timeout runs out (then its tree is killed) or
   * the guard stops it. Interrupting the calling thread kills the tree too and re-asserts the
   * interrupt.
   */
  public static ProcessResult run(ProcessSpec spec, ProcessGuard guard) {
    ProcessBuilder pb = new ProcessBuilder(spec.argv()).directory(spec.cwd().toFile());
    pb.environment().clear();
    pb.environment().putAll(spec.env());
    pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    pb.redirectOutput(spec.stdout().toFile());
    if (spec.stderr() == null) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(spec.stderr().toFile());
    }
    long startNanos = System.nanoTime();
    Process process;
    try {
      process = Lifeline.start(pb);
    } catch (IOException e) {
      return new ProcessResult(null, false, false, e.getMessage(), elapsed(startNanos));
    }
    guard.attach(process);
    try {
      boolean exited = process.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
      boolean timedOut = false;
      if (!exited) {
        log.info("{} ran past {}; killing its process tree", spec.argv().get(0), spec.timeout());
        timedOut = true;
        ProcessTrees.kill(process.toHandle());
        process.waitFor();
      }
      return new ProcessResult(
          process.exitValue(), timedOut, guard.stopRequested(), null, elapsed(startNanos));
    } catch (InterruptedException e) {
      ProcessTrees.kill(process.toHandle());
      Thread.currentThread().interrupt();
      return new ProcessResult(null, false, true, "interrupted", elapsed(startNanos));
    } finally {
      guard.detach(process);
    }
  }

  /**
   * Whether a child dies with the worker even when the worker is killed with SIGKILL ({@link
   * Lifeline}); false where {@code setpriv --pdeathsig} is missing, which is then logged once.
   */
  public static boolean childrenDieWithWorker() {
    return Lifeline.available();
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
