package dev.jetmesh.worker.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts children so that they die with the worker. A worker killed with SIGKILL runs no shutdown
 * code, and its LLM CLI would go on without it: spending money, writing into a worktree whose task
 * the mesh has given to another node. So each child is started as {@code setpriv --pdeathsig KILL
 * -- program args...} (util-linux): setpriv asks the kernel to send the process SIGKILL when its
 * parent, the worker, dies, then becomes the program (same pid, the program's name as argv[0], its
 * arguments untouched), so {@link ProcessTrees} and timeouts see the program itself. It costs about
 * 0.8 ms per child.
 *
 * <p>The kernel ties that signal to the thread that forked the child, not to the process: a child
 * started from a thread that ends (a virtual thread's carrier retired by its pool, say) would be
 * killed with it. So every child is forked by one platform thread that lives as long as the worker.
 *
 * <p>Not covered: what the child starts in turn (an LLM CLI's tool commands, git's hooks), which is
 * re-parented when the child is killed; a worker killed in the few milliseconds between the fork
 * and setpriv's request. Covering a whole tree needs a cgroup, which the worker does not manage (a
 * shell that kills its process group on the worker's death was tried and dropped: it changed what
 * the program sees, its environment and stderr, and a program that signals its own group, as {@code
 * trap 'kill 0' EXIT} does, would have killed itself). Where setpriv is missing or too old (before
 * util-linux 2.33, or not Linux), children are started as they are and a warning says so once.
 * Thread-safe.
 */
final class Lifeline {
  private static final Logger log = LoggerFactory.getLogger(Lifeline.class);
  private static final String BIN_DIRS = "/usr/bin:/bin";

  /** The one thread that forks, for as long as the JVM runs (never shut down: see above). */
  private static final ExecutorService SPAWNER =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().name("jetmesh-spawner").daemon().unstarted(r));

  /** What goes before the program, or null where it cannot work. */
  private static final @Nullable List<String> PREFIX = findPrefix();

  private Lifeline() {}

  /** Whether children are tied to the worker here. */
  static boolean available() {
    return PREFIX != null;
  }

  /**
   * Starts {@code pb} (its command as the caller built it) on the spawner thread, through setpriv
   * when the program is found; one that is not is started as it is, so that it fails as it would
   * without this class.
   */
  static Process start(ProcessBuilder pb) throws IOException {
    List<String> argv = List.copyOf(pb.command());
    String program = argv.get(0);
    String path = resolve(program, pb.directory(), pb.environment().get("PATH"));
    List<String> command = argv;
    if (PREFIX != null && path != null) {
      // The name as given: setpriv looks it up on the same PATH as resolve did.
      command = new ArrayList<>(PREFIX.size() + argv.size());
      command.addAll(PREFIX);
      command.addAll(argv);
    }
    List<String> run = command;
    Future<Process> started =
        SPAWNER.submit(
            () -> {
              pb.command(run); // on the spawner only: the caller waits, pb is not shared
              try {
                return pb.start();
              } finally {
                pb.command(argv);
              }
            });
    Process p;
    try {
      p = waitUninterruptibly(started);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        // The JDK names the file it ran: name the program, as a start without this class would.
        String named = String.valueOf(io.getMessage()).replace(run.get(0), program);
        throw new IOException(named, io);
      }
      throw new IOException("starting " + program + " failed", cause);
    }
    if (PREFIX != null && path == null) {
      log.warn(
          "{} was not found on the PATH its environment gives it, yet it started: it was started"
              + " without setpriv and outlives this worker if the worker is killed with SIGKILL",
          program);
    }
    return p;
  }

  /**
   * The started process, however long an interrupt comes before it: a caller that gave up on it
   * would leave a child nobody watches. The interrupt is raised again for the caller, whose wait
   * for the process then kills it.
   */
  private static Process waitUninterruptibly(Future<Process> started) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return started.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The program's path, or null when there is none: a path with a slash against the working
   * directory, a name without one on {@code path}, the PATH the child gets (every child's
   * environment starts from the worker's). A program not found is started as it is: the JVM then
   * fails to start it as it would without this class.
   */
  static @Nullable String resolve(String program, @Nullable File cwd, @Nullable String path) {
    return ProgramPath.find(program, cwd == null ? null : cwd.toPath(), path)
        .map(p -> program.contains("/") ? program : p.toAbsolutePath().normalize().toString())
        .orElse(null);
  }

  private static @Nullable List<String> findPrefix() {
    // Where Debian puts it, not wherever the worker's PATH says: the guarantee is not configurable.
    String setpriv = ProgramPath.find("setpriv", null, BIN_DIRS).map(Path::toString).orElse(null);
    if (setpriv != null) {
      List<String> prefix = List.of(setpriv, "--pdeathsig", "KILL", "--");
      if (works(prefix, setpriv)) {
        return prefix;
      }
    }
    log.warn(
        "setpriv with --pdeathsig (util-linux 2.33 or later) not found in {} or not working: a"
            + " child of this worker (an LLM CLI, a metric) outlives the worker if it is killed"
            + " with SIGKILL",
        BIN_DIRS);
    return null;
  }

  /**
   * Runs {@code setpriv --version} through the prefix once: setpriv must take the option. An
   * interrupt of the thread that happens to load this class must not turn supervision off for the
   * worker's whole life, so the wait goes on through it, and the interrupt is raised again after.
   */
  private static boolean works(List<String> prefix, String setpriv) {
    List<String> probe = new ArrayList<>(prefix);
    probe.addAll(List.of(setpriv, "--version"));
    Process p;
    try {
      p =
          new ProcessBuilder(probe)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return false;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return p.exitValue() == 0;
          }
          p.destroyForcibly();
          return false;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
