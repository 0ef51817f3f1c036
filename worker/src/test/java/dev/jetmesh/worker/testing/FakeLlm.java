package dev.jetmesh.worker.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The fake LLM CLI of {@code src/test/resources/fake-llm}, copied out as an executable file. */
public final class FakeLlm {
  private FakeLlm() {}

  /** An executable copy of the script in {@code dir}. */
  public static Path install(Path dir) {
    try (InputStream in = FakeLlm.class.getResourceAsStream("/fake-llm/fake-llm")) {
      if (in == null) {
        throw new IllegalStateException("fake-llm resource missing");
      }
      Path target = dir.resolve("fake-llm");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
