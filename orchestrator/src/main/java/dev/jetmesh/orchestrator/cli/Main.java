package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.schema.MeshException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar jetmesh-orchestrator.jar [serve]}. Configuration comes from the environment
 * (docs/operations.md). A failure to start prints one line and exits non-zero.
 */
@Command(
    name = "jetmesh",
    mixinStandardHelpOptions = true,
    version = "jetmesh 0.1.0",
    description = "Event-sourced orchestrator for a mesh of LLM worker nodes.",
    subcommands = {
      Main.Serve.class,
      ClientCommands.Submit.class,
      ClientCommands.Get.class,
      ClientCommands.ListTasks.class,
      ClientCommands.Cancel.class,
      CollabCli.class,
      PlanCommands.class,
      NodeCli.class,
      JoinTokenCommand.class,
      RebuildCommand.class
    })
public final class Main implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    return configure(new CommandLine(new Main())).execute(args);
  }

  /** A failure the command did not handle prints one line and exits 2. */
  static CommandLine configure(CommandLine cl) {
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof MeshException) {
            cmd.getErr().println("jetmesh: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cl;
  }

  @Override
  public Integer call() {
    return new Serve().call();
  }

  /** Runs the orchestrator until SIGTERM or SIGINT. */
  @Command(name = "serve", description = "Run the orchestrator (the default command).")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      OrchestratorConfig config = OrchestratorConfig.fromEnv();
      Orchestrator o = Orchestrator.start(config);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    o.close();
                    stopped.countDown();
                  },
                  "shutdown"));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }
  }
}
