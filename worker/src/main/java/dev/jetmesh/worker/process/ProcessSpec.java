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
 */
public record ProcessSpec(
    List<String> argv,
    Path cwd,
    Map<String, String> env,
    Path stdout,
    @Nullable Path stderr,
    Duration timeout) {
  public ProcessSpec {
    argv = List.copyOf(requireNonNull(argv, "null argv"));
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty argv");
    }
    requireNonNull(cwd, "null cwd");
    env = Map.copyOf(requireNonNull(env, "null env"));
    requireNonNull(stdout, "null stdout");
    requireNonNull(timeout, "null timeout");
  }
}
