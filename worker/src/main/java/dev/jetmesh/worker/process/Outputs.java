package dev.jetmesh.worker.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading captured output: tails and bounded wholes. Stateless and thread-safe. */
public final class Outputs {
  /** The most of one output file that is read into memory. */
  public static final int MAX_READ_BYTES = 16 * 1024 * 1024;

  private Outputs() {}

  /** The last {@code chars} characters of {@code text} (all of it when shorter). */
  public static String tail(String text, int chars) {
    if (text == null) {
      return "";
    }
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  /** The first {@code chars} characters of {@code text} (all of it when shorter). */
  public static String head(String text, int chars) {
    if (text == null) {
      return "";
    }
    return text.length() <= chars ? text : text.substring(0, chars);
  }

  /**
   * The file as UTF-8 text (malformed bytes replaced). A file larger than {@link #MAX_READ_BYTES}
   * yields its last {@link #MAX_READ_BYTES} bytes: callers want the end of a long run. A missing
   * file reads as empty.
   */
  public static String read(Path file) {
    try {
      if (file == null || !Files.exists(file)) {
        return "";
      }
      long size = Files.size(file);
      if (size <= MAX_READ_BYTES) {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      }
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        byte[] buf = new byte[MAX_READ_BYTES];
        raf.seek(size - MAX_READ_BYTES);
        raf.readFully(buf);
        return new String(buf, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
