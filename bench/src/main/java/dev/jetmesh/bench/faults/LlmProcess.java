package dev.jetmesh.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fault suite's fake LLM as a process: the pids it writes (its own and its {@code sleep}'s),
 * and whether it stopped once its worker was killed alone.
 */
final class LlmProcess {
  private LlmProcess() {}

  /**
   * The LLM process (the worker's child), whose pid the fake LLM wrote, must stop running once a
   * worker is killed alone with SIGKILL: the worker runs no code of its own then (docs/worker.md,
   * Liveness). The {@code sleep} that process started is not covered; the suite ends it.
   */
  static String diesWithWorker(Path pidFile, Proc worker, List<String> checks) {
    long t0 = System.nanoTime();
    List<Long> pids = pids(pidFile);
    if (pids.size() != 2) {
      checks.add("no LLM pids in " + pidFile);
      return "";
    }
    long llm = pids.get(0);
    boolean died = Sleep.until(2_000, () -> !runs(llm));
    long took = (System.nanoTime() - t0) / 1_000_000;
    boolean sleepRan = runs(pids.get(1));
    // Only while it runs: a pid whose process is gone may already name another.
    pids.stream()
        .filter(LlmProcess::runs)
        .forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
    if (!died) {
      checks.add("the LLM process " + llm + " outlived " + worker.name() + " by 2 s");
      return "";
    }
    return "its LLM process died with it ("
        + took
        + " ms after the worker was gone; the sleep it started "
        + (sleepRan ? "ran on, not covered, and was ended by the suite" : "had ended too")
        + ")";
  }

  /** The pids the fake LLM wrote (its own, its sleep's), or none while the file is not whole. */
  static List<Long> pids(Path file) {
    try {
      String text = Files.readString(file);
      if (!text.endsWith("\n")) {
        return List.of();
      }
      return java.util.Arrays.stream(text.strip().split(" ")).map(Long::parseLong).toList();
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
  }

  /**
   * Whether {@code pid} still runs code: a killed process stays a zombie until its new parent (the
   * machine's init) reaps it, which here can take a second or two, and is dead by then.
   */
  static boolean runs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone
    }
  }
}
