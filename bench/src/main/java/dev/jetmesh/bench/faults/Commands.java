package dev.jetmesh.bench.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A helper program run to its end (git, initdb, pg_ctl), its output appended to a log. */
final class Commands {
  private Commands() {}

  /**
   * Runs {@code cmd} (an argument vector) for at most a minute.
   *
   * @throws IllegalStateException with the log when it fails or does not end
   */
  static void run(List<String> cmd, Path log) {
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed; see " + log + ":\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
