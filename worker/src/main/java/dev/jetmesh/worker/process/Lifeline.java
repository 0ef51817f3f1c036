package dev.jetmesh.worker.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
 * Starts children so that they, and what they start, die with the worker. A worker killed with
 * SIGKILL runs no shutdown code, and its LLM CLI would go on without it: spending money, writing
 * into a worktree whose task the mesh has given to another node. So each child is started as
 *
 * <pre>setpriv --pdeathsig TERM -- setsid --wait bash -c SUPERVISE jetmesh-child program args...
 * </pre>
 *
 * <ul>
 *   <li>{@code setpriv} (util-linux) asks the kernel to send the process SIGTERM when its parent,
 *       the worker, dies, then executes {@code setsid}, which puts the process in a session and
 *       process group of its own and executes {@code bash}: all three are one process ({@code
 *       --wait} only matters if {@code setsid} had to fork, which it does not for a process that
 *       leads no group: then it would still exit with the program's status).
 *   <li>That bash runs the fixed script {@link #SUPERVISE}: the program with its arguments as they
 *       are (positional parameters, never a string built from them), in the background, waiting for
 *       it and exiting with its status. On SIGTERM it kills its whole process group with SIGKILL:
 *       the program and whatever the program started that stayed in the group.
 * </ul>
 *
 * <p>That is {@link ProcessSpec.Reach#GROUP}. A short run that starts nothing lasting (git) is
 * {@link ProcessSpec.Reach#PROCESS}: {@code setpriv --pdeathsig KILL -- program args...}, the
 * process alone, without the shell (about 0.9 ms against 3.5 ms per run here).
 *
 * <p>The kernel ties that signal to the thread that forked the child, not to the process: a child
 * started from a thread that ends (a virtual thread's carrier retired by its pool, say) would be
 * killed with it. So every child is forked by one platform thread that lives as long as the worker.
 *
 * <p>Not covered: a process that leaves the group (a daemon that calls {@code setsid} itself); a
 * worker killed in the few milliseconds between the fork and {@code setpriv}'s request. The program
 * runs as a background job of a non-interactive shell, so it starts with SIGINT and SIGQUIT
 * ignored; nothing sends it those (it has no terminal, and the worker kills with SIGKILL). Where
 * {@code setpriv}, {@code setsid} or {@code bash} is missing or too old (util-linux before 2.33,
 * not Linux), children are started as they are and a warning says so once. Thread-safe.
 */
final class Lifeline {
  private static final Logger log = LoggerFactory.getLogger(Lifeline.class);
  private static final List<String> BIN_DIRS = List.of("/usr/bin", "/bin");

  /**
   * The supervising shell's script, a constant. {@code $1} is the program's name as the caller gave
   * it, {@code $2} its path, the rest its arguments: {@code exec -a} runs that file with that name
   * as its argv[0] (never a builtin or function of the shell's, as a bare name could be). A trap
   * runs only while bash waits, which is why the program runs in the background.
   */
  static final String SUPERVISE =
      "trap 'kill -KILL 0' TERM; a0=$1 p=$2; shift 2; exec -a \"$a0\" \"$p\" \"$@\" & wait \"$!\"";

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
   * Starts {@code pb} (its command as the caller built it) on the spawner thread, supervised when
   * the program exists; a program that does not is started as it is, so that it fails as it would
   * without this class.
   */
  static Process start(ProcessBuilder pb, ProcessSpec.Reach reach) throws IOException {
    List<String> argv = List.copyOf(pb.command());
    String program = argv.get(0);
    String path = resolve(program, pb.directory(), pb.environment().get("PATH"));
    List<String> command = argv;
    if (PREFIX != null && path != null) {
      command = new ArrayList<>(PREFIX.size() + argv.size() + 1);
      if (reach == ProcessSpec.Reach.GROUP) {
        command.addAll(PREFIX);
        command.add(program);
        command.add(path);
      } else {
        // setpriv alone: SIGKILL to the process itself, which setpriv becomes (finding the
        // program on the same PATH as resolve did, under the name it was given).
        command.addAll(List.of(PREFIX.get(0), "--pdeathsig", "KILL", "--", program));
      }
      command.addAll(argv.subList(1, argv.size()));
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
          "{} was not found on the PATH its environment gives it, yet it started: it is not"
              + " supervised and outlives this worker if the worker is killed with SIGKILL",
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
    Path dir = cwd == null ? Path.of("") : cwd.toPath();
    try {
      if (program.contains("/")) {
        return runnable(dir.resolve(program)) ? program : null;
      }
      for (String entry : (path == null ? "/bin:/usr/bin" : path).split(":", -1)) {
        // An empty or relative entry is relative to the child's directory, as the child's own
        // lookup would take it.
        Path p = dir.resolve(entry).resolve(program);
        if (runnable(p)) {
          return p.toAbsolutePath().normalize().toString();
        }
      }
    } catch (InvalidPathException e) {
      return null; // a NUL in a name: the JDK refuses to start it, and so it should
    }
    return null;
  }

  private static boolean runnable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }

  private static @Nullable List<String> findPrefix() {
    String setpriv = find("setpriv");
    String setsid = find("setsid");
    String bash = find("bash");
    if (setpriv != null && setsid != null && bash != null) {
      List<String> prefix =
          List.of(
              setpriv,
              "--pdeathsig",
              "TERM",
              "--",
              setsid,
              "--wait",
              bash,
              "-c",
              SUPERVISE,
              "jetmesh-child");
      if (works(prefix, setpriv)) {
        return prefix;
      }
    }
    log.warn(
        "setpriv with --pdeathsig (util-linux 2.33 or later), setsid and bash not all found in {}"
            + " or not working: a child of this worker (an LLM CLI, a metric) outlives the worker"
            + " if it is killed with SIGKILL",
        BIN_DIRS);
    return null;
  }

  private static @Nullable String find(String name) {
    for (String dir : BIN_DIRS) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /**
   * Runs {@code setpriv --version} through the prefix once: every part must take its options. An
   * interrupt of the thread that happens to load this class must not turn supervision off for the
   * worker's whole life, so the wait goes on through it, and the interrupt is raised again after.
   */
  private static boolean works(List<String> prefix, String setpriv) {
    List<String> probe = new ArrayList<>(prefix);
    probe.addAll(List.of("setpriv", setpriv, "--version"));
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
