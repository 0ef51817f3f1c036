package dev.jetmesh.worker.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts children so that they die with the worker. A worker killed with SIGKILL runs no shutdown
 * code, and its LLM CLI would go on without it: spending money, writing into a worktree whose task
 * the mesh has given to another node. So each child is started through {@code setpriv --pdeathsig
 * KILL} (util-linux), which asks the kernel to send the child SIGKILL when its parent dies, then
 * executes the program in the same process (same pid, so {@link ProcessTrees} and timeouts see the
 * program itself).
 *
 * <p>The kernel ties that signal to the thread that forked the child, not to the process: a child
 * started from a thread that ends (a virtual thread's carrier retired by its pool, say) would be
 * killed with it. So every child is forked by one platform thread that lives as long as the worker.
 *
 * <p>What the child starts in turn is not covered: a grandchild is re-parented when its parent is
 * killed (that needs a cgroup). Where {@code setpriv} is missing or too old (before util-linux
 * 2.33, or not Linux), children are started as they are and a warning says so once. Thread-safe.
 */
final class Lifeline {
  private static final Logger log = LoggerFactory.getLogger(Lifeline.class);
  private static final List<String> SETPRIV_DIRS = List.of("/usr/bin", "/bin");

  /** The one thread that forks, for as long as the JVM runs (never shut down: see above). */
  private static final ExecutorService SPAWNER =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().name("jetmesh-spawner").daemon().unstarted(r));

  private static final @Nullable String SETPRIV = findSetpriv();

  private Lifeline() {}

  /** Whether children are tied to the worker here. */
  static boolean available() {
    return SETPRIV != null;
  }

  /**
   * Starts {@code pb} (its command as the caller built it) on the spawner thread, through {@code
   * setpriv} when the program exists; a program that does not is started as it is, so that it fails
   * as it would without this class.
   */
  static Process start(ProcessBuilder pb) throws IOException {
    List<String> argv = pb.command();
    String program = resolve(argv.get(0), pb.directory(), pb.environment().get("PATH"));
    if (SETPRIV != null && program != null) {
      List<String> tied = new ArrayList<>(argv.size() + 4);
      tied.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--", program));
      tied.addAll(argv.subList(1, argv.size()));
      pb.command(tied);
    }
    try {
      return SPAWNER.submit(pb::start).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("starting " + argv.get(0) + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + argv.get(0), e);
    } finally {
      pb.command(argv);
    }
  }

  /**
   * The program's path, or null when there is none: a path with a slash against the working
   * directory, a name without one on {@code path}, the PATH the child gets (every child's
   * environment starts from the worker's). A program not found is started as it is: the JVM then
   * fails to start it as it would without this class.
   */
  static @Nullable String resolve(String program, @Nullable File cwd, @Nullable String path) {
    if (program.contains("/")) {
      Path p = cwd == null ? Path.of(program) : cwd.toPath().resolve(program);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? program : null;
    }
    for (String dir : (path == null ? "/bin:/usr/bin" : path).split(":", -1)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toAbsolutePath().toString();
      }
    }
    return null;
  }

  private static @Nullable String findSetpriv() {
    for (String dir : SETPRIV_DIRS) {
      Path p = Path.of(dir, "setpriv");
      if (Files.isExecutable(p) && acceptsPdeathsig(p.toString())) {
        return p.toString();
      }
    }
    log.warn(
        "setpriv with --pdeathsig (util-linux 2.33 or later) not found in {}: a child of this"
            + " worker (an LLM CLI, a metric) outlives the worker if it is killed with SIGKILL",
        SETPRIV_DIRS);
    return null;
  }

  private static boolean acceptsPdeathsig(String setpriv) {
    try {
      Process p =
          new ProcessBuilder(setpriv, "--pdeathsig", "KILL", "--", setpriv, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
