package dev.jetmesh.worker.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a worker process in {@link LifelineTest}: runs one child through {@link
 * ProcessRunner}, as the worker runs an LLM CLI, and waits for it (or to be killed). Arguments: the
 * child's pid file and its tool's pid file. The child (a stand-in LLM CLI) starts a {@code sleep
 * 300} of its own (a tool command, say), writes that one's pid to the second file and its own to
 * the first, and waits.
 */
public final class LifelineHolder {
  private LifelineHolder() {}

  public static void main(String[] args) {
    Path pidFile = Path.of(args[0]);
    Path dir = pidFile.getParent();
    ProcessRunner.run(
        new ProcessSpec(
            List.of(
                "bash",
                "-c",
                "sleep 300 & echo $! > \"$2\"; echo $$ > \"$1\"; wait",
                "holder-child",
                args[0],
                args[1]),
            dir,
            Map.of("PATH", System.getenv("PATH")),
            dir.resolve("child.out"),
            null,
            Duration.ofMinutes(5)),
        ProcessGuard.NONE);
  }
}
