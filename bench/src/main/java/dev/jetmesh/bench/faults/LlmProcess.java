package dev.jetmesh.bench.faults;

import dev.jetmesh.orchestrator.testing.Pids;
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
    boolean died = Sleep.until(2_000, () -> !Pids.running(llm));
    long took = (System.nanoTime() - t0) / 1_000_000;
    boolean sleepRan = Pids.running(pids.get(1));
    // Only while it runs: a pid whose process is gone may already name another.
    pids.stream()
        .filter(Pids::running)
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
}
