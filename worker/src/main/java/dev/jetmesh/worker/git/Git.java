package dev.jetmesh.worker.git;

import dev.jetmesh.worker.process.ChildEnvironment;
import dev.jetmesh.worker.process.Outputs;
import dev.jetmesh.worker.process.ProcessGuard;
import dev.jetmesh.worker.process.ProcessResult;
import dev.jetmesh.worker.process.ProcessRunner;
import dev.jetmesh.worker.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code git} with an argument vector. The environment is the worker's without the variables
 * that would redirect git to another repository ({@code GIT_DIR}, {@code GIT_WORK_TREE}, ...), with
 * prompts disabled, and with a committer identity when the repository has none (a fresh machine
 * must still be able to commit). Immutable and thread-safe.
 */
public final class Git {
  private static final List<String> STRIP =
      List.of(
          "GIT_DIR",
          "GIT_WORK_TREE",
          "GIT_INDEX_FILE",
          "GIT_OBJECT_DIRECTORY",
          "GIT_COMMON_DIR",
          "GIT_NAMESPACE",
          "GIT_CEILING_DIRECTORIES");

  private final Map<String, String> env;
  private final Duration timeout;

  public Git(Map<String, String> baseEnv, Duration timeout) {
    Map<String, String> e = ChildEnvironment.without(baseEnv, STRIP);
    e.put("GIT_TERMINAL_PROMPT", "0");
    this.env = Map.copyOf(e);
    this.timeout = timeout;
  }

  private Git(Map<String, String> env, Duration timeout, boolean copy) {
    this.env = copy ? Map.copyOf(env) : env;
    this.timeout = timeout;
  }

  /**
   * This git, plus an author and committer named after the node when {@code repo} has no {@code
   * user.email} configured.
   */
  public Git withIdentityIfMissing(Path repo, String nodeId) {
    GitResult email = run(repo, "config", "user.email");
    if (email.ok() && !email.output().isBlank()) {
      return this;
    }
    Map<String, String> e = new HashMap<>(env);
    String name = "jetmesh worker " + nodeId;
    String mail = nodeId + "@jetmesh.invalid";
    e.putIfAbsent("GIT_AUTHOR_NAME", name);
    e.putIfAbsent("GIT_AUTHOR_EMAIL", mail);
    e.putIfAbsent("GIT_COMMITTER_NAME", name);
    e.putIfAbsent("GIT_COMMITTER_EMAIL", mail);
    return new Git(e, timeout, true);
  }

  /** Runs {@code git <args>} in {@code dir}. */
  public GitResult run(Path dir, String... args) {
    List<String> argv = new ArrayList<>(args.length + 1);
    argv.add("git");
    argv.addAll(List.of(args));
    Path out;
    try {
      out = Files.createTempFile("jetmesh-git-", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ProcessResult r =
          ProcessRunner.run(new ProcessSpec(argv, dir, env, out, null, timeout), ProcessGuard.NONE);
      if (r.exitCode() == null) {
        throw new GitException("cannot run git: " + r.startError());
      }
      String text = Outputs.read(out);
      return new GitResult(r.timedOut() ? -1 : r.exitCode(), text);
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }

  /** Runs {@code git <args>} in {@code dir} and returns its trimmed output, or throws. */
  public String ok(Path dir, String... args) {
    GitResult r = run(dir, args);
    if (!r.ok()) {
      throw new GitException(
          "git "
              + String.join(" ", List.of(args))
              + " failed ("
              + r.exitCode()
              + "): "
              + Outputs.tail(r.output().strip(), 500));
    }
    return r.output().strip();
  }
}
