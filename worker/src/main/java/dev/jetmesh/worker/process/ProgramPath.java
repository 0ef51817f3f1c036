package dev.jetmesh.worker.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a program named in an argument vector is, looked up as {@code execvp} would: the provider
 * check asks it before the worker starts, {@link Lifeline} before each child. Stateless.
 */
public final class ProgramPath {
  /** What {@code execvp} searches when there is no PATH. */
  private static final String DEFAULT_PATH = "/bin:/usr/bin";

  private ProgramPath() {}

  /**
   * The executable file {@code program} names: itself when it holds a slash, else the first match
   * in {@code path}. Relative names and entries (an empty entry is the current directory) are taken
   * against {@code cwd}, or the worker's own directory when it is null.
   */
  public static Optional<Path> find(
      @Nullable String program, @Nullable Path cwd, @Nullable String path) {
    if (program == null || program.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (program.contains("/")) {
        Path p = cwd == null ? Path.of(program) : cwd.resolve(program);
        return executable(p) ? Optional.of(p) : Optional.empty();
      }
      for (String dir : (path == null ? DEFAULT_PATH : path).split(File.pathSeparator, -1)) {
        Path d = dir.isEmpty() ? Path.of(".") : Path.of(dir);
        Path p = (cwd == null ? d : cwd.resolve(d)).resolve(program);
        if (executable(p)) {
          return Optional.of(p);
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty(); // a NUL in a name: nothing can be started by it
    }
    return Optional.empty();
  }

  private static boolean executable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
