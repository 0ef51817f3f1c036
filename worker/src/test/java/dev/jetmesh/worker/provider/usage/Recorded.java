package dev.jetmesh.worker.provider.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The recorded CLI outputs under {@code src/test/resources/provider-output} (see the README there):
 * {@code <provider>/<case>.stdout.txt} and, where the CLI reports on standard error, {@code
 * .stderr.txt}.
 */
public final class Recorded {
  private Recorded() {}

  /** Standard output of {@code name} ({@code "codex/success"}); the file must exist. */
  public static String stdout(String name) {
    String s = read(name + ".stdout.txt");
    if (s == null) {
      throw new IllegalArgumentException("no recorded stdout for " + name);
    }
    return s;
  }

  /** Standard error of {@code name}, or empty when none was recorded. */
  public static String stderr(String name) {
    String s = read(name + ".stderr.txt");
    return s == null ? "" : s;
  }

  private static String read(String file) {
    try (InputStream in = Recorded.class.getResourceAsStream("/provider-output/" + file)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
