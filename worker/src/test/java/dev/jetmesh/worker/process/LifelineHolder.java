package dev.jetmesh.worker.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a worker process in {@link LifelineTest}: runs one child through {@link
 * ProcessRunner} as the worker runs an LLM CLI, and waits for it (or to be killed). The child
 * writes its pid to the file named by the first argument, then becomes {@code sleep 300}.
 */
public final class LifelineHolder {
  private LifelineHolder() {}

  public static void main(String[] args) {
    Path pidFile = Path.of(args[0]);
    Path dir = pidFile.getParent();
    ProcessRunner.run(
        new ProcessSpec(
            List.of("bash", "-c", "echo $$ > \"$1\"; exec sleep 300", "holder-child", args[0]),
            dir,
            Map.of("PATH", System.getenv("PATH")),
            dir.resolve("child.out"),
            null,
            Duration.ofMinutes(5)),
        ProcessGuard.NONE);
  }
}
