package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.schema.MeshException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Runs the orchestrator until SIGTERM or SIGINT. Any start-up failure (a bad setting, NATS or
 * Postgres unreachable, the HTTP port taken) prints one line and exits 2: it needs the operator.
 */
@Command(
    name = "serve",
    description = {
      "Run the orchestrator (the default command).",
      "It runs the projector, the timers, the reactors, the wire's request subjects and the HTTP"
          + " API. Its configuration comes from the environment (docs/operations.md)."
    },
    footer = {
      "",
      "Example:",
      "  MESH_DB_URL=jdbc:postgresql://127.0.0.1:5432/jetmesh jetmesh serve"
    })
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() {
    Orchestrator o;
    try {
      o = Orchestrator.start(OrchestratorConfig.fromEnv());
    } catch (MeshException e) {
      System.err.println("jetmesh: " + e.getMessage());
      return Exit.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    o.close();
                  } catch (RuntimeException e) {
                    // every part was closed regardless (Orchestrator.close): say what failed
                    LOG.warn("stopping: {}", e.toString());
                  } finally {
                    stopped.countDown();
                  }
                },
                "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Exit.OK;
  }
}
