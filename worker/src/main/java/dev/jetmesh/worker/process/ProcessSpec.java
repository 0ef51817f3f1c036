package dev.jetmesh.worker.process;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What to run: an argument vector, its working directory, its environment, where its output goes
 * and how long it may take. Immutable.
 *
 * @param argv the program and its arguments, passed to the kernel as they are (no shell)
 * @param cwd the working directory
 * @param env the complete environment of the child (already filtered)
 * @param stdout file that receives standard output
 * @param stderr file that receives standard error, or null to merge it into {@code stdout}
 * @param timeout how long the process may run before its tree is killed
 * @param reach what dies with the worker if the worker is killed with SIGKILL
 */
public record ProcessSpec(
    List<String> argv,
    Path cwd,
    Map<String, String> env,
    Path stdout,
    @Nullable Path stderr,
    Duration timeout,
    Reach reach) {
  /** What of a run dies with the worker ({@link Lifeline}). */
  public enum Reach {
    /**
     * The process and every process it starts that stays in its group: for runs that may go on long
     * or spend money, and start processes of their own (an LLM CLI, a metric). Costs a shell per
     * run (about 3.5 ms here).
     */
    GROUP,
    /**
     * The process alone: for short runs that start nothing that outlives them (git). Costs about
     * 0.9 ms per run.
     */
    PROCESS
  }

  /** A spec whose whole group dies with the worker. */
  public ProcessSpec(
      List<String> argv,
      Path cwd,
      Map<String, String> env,
      Path stdout,
      @Nullable Path stderr,
      Duration timeout) {
    this(argv, cwd, env, stdout, stderr, timeout, Reach.GROUP);
  }

  public ProcessSpec {
    argv = List.copyOf(requireNonNull(argv, "null argv"));
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty argv");
    }
    requireNonNull(cwd, "null cwd");
    env = Map.copyOf(requireNonNull(env, "null env"));
    requireNonNull(stdout, "null stdout");
    requireNonNull(timeout, "null timeout");
    requireNonNull(reach, "null reach");
  }
}
