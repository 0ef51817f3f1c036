package dev.jetmesh.orchestrator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Processes by pid, for tests and suites that kill them. Thread-safe (stateless). */
public final class Pids {
  private Pids() {}

  /**
   * Whether {@code pid} still runs code. A killed process stays in the process table as a zombie
   * until its parent (for an orphan, the machine's init) reaps it, which here can take a second or
   * two, and {@link ProcessHandle#isAlive} cannot tell the two apart; a zombie runs nothing.
   */
  public static boolean running(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.isDirectory(stat.getParent())) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String s = Files.readString(stat);
      return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone while we looked
    }
  }
}
