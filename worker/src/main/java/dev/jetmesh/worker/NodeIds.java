package dev.jetmesh.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Node id defaults, as the reference derives them. Stateless and thread-safe. */
public final class NodeIds {
  private NodeIds() {}

  /**
   * The reference's normalisation of a host name: lower-cased, every character outside {@code
   * [a-z0-9-]} replaced by {@code -}.
   */
  public static String normalise(String hostname) {
    return hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  /** This machine's host name, normalised. */
  public static String fromHostname() {
    return normalise(hostname());
  }

  /** This machine's host name as the system has it (what a node reports as its host). */
  public static String hostname() {
    // The kernel's name first: InetAddress may wait on DNS.
    try {
      String n = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!n.isEmpty()) {
        return n;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: ask the JDK
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
