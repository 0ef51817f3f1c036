package dev.jetmesh.worker;

import dev.jetmesh.worker.mesh.MeshLink;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker's command line: {@code java -jar jetmesh-worker.jar [--once] [--dry-run] [--provider
 * P] [--model M]}. Exit codes: 0 normal end, 1 runtime failure (NATS unreachable or lost), 2 bad
 * configuration or refused by the mesh (a join refused, a claim refused as unauthorised): one line
 * on stderr, no stack trace. Either 2 needs an operator; restarting the worker does not help.
 */
@Command(
    name = "jetmesh-worker",
    mixinStandardHelpOptions = true,
    version = "jetmesh-worker 0.1.0",
    description = "Claims jetmesh tasks and runs them with an LLM CLI in git worktrees.")
public final class WorkerMain implements Callable<Integer> {
  static final int EXIT_RUNTIME = 1;
  static final int EXIT_CONFIG = 2;

  @Option(names = "--once", description = "Claim one task (if any), run it, and exit.")
  boolean once;

  @Option(
      names = "--dry-run",
      description = "Print the prompt of the task a claim would get; claim and run nothing.")
  boolean dryRun;

  @Option(names = "--provider", description = "Default LLM provider (after task and env).")
  @Nullable String provider;

  @Option(names = "--model", description = "Default model (after the task's).")
  @Nullable String model;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  WorkerMain(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // The one read of the environment: everything else gets the settings WorkerConfig made of it.
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command line; returns the exit code (used by tests, which must not exit the VM). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new WorkerMain(env, out, err));
    cl.setOut(new java.io.PrintWriter(out, true, out.charset()));
    cl.setErr(new java.io.PrintWriter(err, true, err.charset()));
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    WorkerConfig config;
    try {
      config = WorkerConfig.load(new WorkerConfig.Flags(once, dryRun, provider, model), env);
    } catch (ConfigException e) {
      err.println("jetmesh-worker: " + e.getMessage());
      return EXIT_CONFIG;
    }
    try {
      return config.dryRun() ? dryRun(config) : serve(config);
    } catch (IOException e) {
      err.println(
          "jetmesh-worker: cannot connect to NATS at " + config.natsUrl() + ": " + e.getMessage());
      return EXIT_RUNTIME;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_RUNTIME;
    }
  }

  private int serve(WorkerConfig config) throws IOException, InterruptedException {
    Worker worker = Worker.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "jetmesh-worker-shutdown"));
    worker.awaitTermination();
    worker.close();
    worker.refusal().ifPresent(why -> err.println("jetmesh-worker: " + why));
    return worker.exitCode();
  }

  private int dryRun(WorkerConfig config) throws IOException, InterruptedException {
    try (MeshLink mesh =
        MeshLink.connectOnce(
            config.natsUrl(),
            config.nodeId(),
            config.env().get(dev.jetmesh.schema.NatsInbox.SETTING))) {
      return DryRun.run(config, mesh.tasks(), out);
    } catch (RuntimeException e) {
      err.println("jetmesh-worker: dry run failed: " + e.getMessage());
      return EXIT_RUNTIME;
    }
  }
}
