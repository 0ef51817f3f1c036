package dev.jetmesh.worker.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private directory for the captured output of one task's (or one round's) runs, deleted with
 * everything in it on {@link #close}. A failed delete is logged, never thrown: it must not change
 * how the task ends. Not thread-safe.
 */
public final class Scratch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scratch.class);

  private final Path dir;

  private Scratch(Path dir) {
    this.dir = dir;
  }

  /** A new directory in {@code parent} whose name starts with {@code prefix}. */
  public static Scratch create(Path parent, String prefix) throws IOException {
    return new Scratch(Files.createTempDirectory(parent, prefix));
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
