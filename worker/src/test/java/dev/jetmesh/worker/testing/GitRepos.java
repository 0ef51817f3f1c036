package dev.jetmesh.worker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real git repositories in temporary directories. */
public final class GitRepos {
  private GitRepos() {}

  /** A repository at {@code dir} with an identity and one commit holding {@code README.md}. */
  public static Path init(Path dir) {
    try {
      Files.createDirectories(dir);
      git(dir, "init", "-q", "-b", "main");
      git(dir, "config", "user.email", "test@example.invalid");
      git(dir, "config", "user.name", "test");
      Files.writeString(dir.resolve("README.md"), "hello\n");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "-m", "initial");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs git and returns its trimmed output; fails the test on a non-zero exit. */
  public static String git(Path dir, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("git");
    argv.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
      }
      return out.strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** True when {@code branch} exists in {@code repo}. */
  public static boolean hasBranch(Path repo, String branch) {
    return !git(repo, "branch", "--list", branch).isEmpty();
  }
}
