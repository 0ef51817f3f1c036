package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.schema.InvalidRequestException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code jetmesh worker [WORKER OPTIONS]}: runs the worker, which is a separate program ({@code
 * jetmesh-worker.jar}, the worker module), in a child process on this Java, with this environment
 * and terminal, and exits with its exit code. The orchestrator does not contain the worker's
 * classes (the worker module depends on the orchestrator's tests, not the other way round); this
 * command only finds and starts it, and says how when it cannot.
 */
@Command(
    name = "worker",
    description = {
      "Run a worker node (jetmesh-worker.jar) with the options given.",
      "It starts $MESH_WORKER_JAR, else the worker jar beside this jar, else the one in"
          + " worker/target of this checkout, and exits with its exit code.",
      "Worker options: --once, --dry-run, --provider P, --model M; settings: docs/worker.md."
    },
    footer = {
      "",
      "Example:",
      "  MESH_NODE_ID=laptop MESH_LLM_PROVIDER=shell jetmesh worker --once"
    })
final class WorkerCommand extends CliCommand {
  static final String JAR = "jetmesh-worker.jar";

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path jar = find(cli().settings().workerJar(), here());
    if (jar == null) {
      throw new InvalidRequestException(
          "the worker is a separate jar ("
              + JAR
              + ") and none was found: build it with `.ci/mvn -q package -pl worker -am"
              + " -DskipTests`, or set MESH_WORKER_JAR to its path");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    // SIGTERM to this process stops the worker the same way (it finishes its attempt's
    // bookkeeping).
    Thread stop = new Thread(p::destroy, "stop-worker");
    Runtime.getRuntime().addShutdownHook(stop);
    int code = p.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stop);
    } catch (IllegalStateException e) {
      // shutting down already: the hook runs
    }
    return code;
  }

  /**
   * The worker jar: {@code configured} when given (it must exist), else {@value #JAR} beside {@code
   * here} (a distribution), else in {@code worker/target} of the checkout {@code here} was built
   * in.
   */
  static @Nullable Path find(@Nullable String configured, @Nullable Path here) {
    if (configured != null) {
      Path p = Path.of(configured);
      if (!Files.isRegularFile(p)) {
        throw new InvalidRequestException("MESH_WORKER_JAR is not a file: " + configured);
      }
      return p;
    }
    if (here == null) {
      return null;
    }
    Path dir = here.toAbsolutePath().getParent();
    if (dir == null) {
      return null;
    }
    List<Path> candidates = new ArrayList<>();
    candidates.add(dir.resolve(JAR));
    if (dir.getParent() != null && dir.getParent().getParent() != null) {
      candidates.add(dir.getParent().getParent().resolve("worker").resolve("target").resolve(JAR));
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  /** The jar (or classes directory) this class was loaded from. */
  private static @Nullable Path here() {
    try {
      var src = WorkerCommand.class.getProtectionDomain().getCodeSource();
      return src == null ? null : Path.of(src.getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }
}
