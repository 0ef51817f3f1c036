package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.config.ClientSettings;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jetmesh}: the orchestrator ({@code serve}, the default) and the command line for people
 * (docs/cli.md). Commands go over NATS; reads go through the HTTP read API. Exit codes: {@link
 * Exit}. Start-up does as little as it can: no command loads the orchestrator's classes unless it
 * runs it.
 */
@Command(
    name = "jetmesh",
    mixinStandardHelpOptions = true,
    version = "jetmesh 0.1.0",
    description = "Event-sourced orchestrator for a mesh of LLM worker nodes.",
    footer = {
      "",
      "Without a command, runs `serve`. Exit codes: 0 ok, 1 refused (or the answer is no),",
      "2 usage or configuration, 3 unreachable. See docs/cli.md.",
      "",
      "Example:",
      "  jetmesh submit --title 'Say hello' --description 'echo hello > hello.txt'"
    })
public final class Main implements Callable<Integer> {
  /**
   * The subcommands, in the order help lists them. Registered here rather than in the annotation so
   * that a call builds only the command it runs: picocli reflects over every command it is given,
   * which was most of a short command's start.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          ServeCommand.class,
          WorkerCommand.class,
          TaskCommands.Submit.class,
          TaskCommands.Cancel.class,
          TaskCommands.Tasks.class,
          TaskCommands.Show.class,
          TaskCommands.Attempts.class,
          WatchCommand.class,
          CollabCli.class,
          PlanCommands.class,
          NodeCli.Nodes.class,
          NodeCli.class,
          JoinTokenCommand.class,
          NatsAuthCommand.class,
          RebuildCommand.class,
          CompletionCommand.class,
          CdsTraining.class);

  /** Each subcommand's names and aliases. */
  private static final Map<String, Class<?>> BY_NAME = byName();

  private final Cli cli;

  Main(Cli cli) {
    this.cli = cli;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    return commandLine(new Cli(ClientSettings::fromEnv, true), args).execute(args);
  }

  /**
   * Runs {@code args} in this process with {@code settings}, printing to {@code out}/{@code err}.
   */
  static int run(ClientSettings settings, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(new Cli(() -> settings, false), args);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /** {@code jetmesh} with every subcommand. */
  static CommandLine commandLine(Cli cli) {
    return commandLine(cli, new String[0]);
  }

  /**
   * {@code jetmesh} for {@code args}: with only the subcommand they name, none for {@code
   * --version}, and every one otherwise (help, completion, a mistyped name, {@code serve} by
   * default), so that help and errors are what they would be with all of them.
   */
  static CommandLine commandLine(Cli cli, String[] args) {
    CommandLine cl = configure(new CommandLine(new Main(cli)));
    String first = args.length == 0 ? "" : args[0];
    Class<?> only = BY_NAME.get(first);
    if (only != null && only != CompletionCommand.class && only != CdsTraining.class) {
      cl.addSubcommand(only);
    } else if (!(args.length == 1 && (first.equals("--version") || first.equals("-V")))) {
      COMMANDS.forEach(cl::addSubcommand);
    }
    everyCommand(cl, c -> c.getCommandSpec().mixinStandardHelpOptions(true));
    return cl;
  }

  Cli cli() {
    return cli;
  }

  private static Map<String, Class<?>> byName() {
    Map<String, Class<?>> m = new HashMap<>();
    for (Class<?> c : COMMANDS) {
      Command a = c.getAnnotation(Command.class);
      m.put(a.name(), c);
      for (String alias : a.aliases()) {
        m.put(alias, c);
      }
    }
    return Map.copyOf(m);
  }

  /**
   * A failure prints one line, {@code jetmesh: <message>}, and exits with {@link Exit#of}'s code.
   */
  static CommandLine configure(CommandLine cl) {
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          String m = ex.getMessage();
          boolean ours = ex instanceof dev.jetmesh.schema.MeshException;
          cmd.getErr().println("jetmesh: " + (ours && m != null ? m : ex.toString()));
          cmd.getErr().flush();
          return Exit.of(ex);
        });
    return cl;
  }

  /** Applies {@code f} to {@code cl} and to every subcommand below it, each once. */
  static void everyCommand(CommandLine cl, java.util.function.Consumer<CommandLine> f) {
    IdentityHashMap<CommandLine, Boolean> seen = new IdentityHashMap<>();
    walk(cl, f, seen);
  }

  private static void walk(
      CommandLine cl,
      java.util.function.Consumer<CommandLine> f,
      IdentityHashMap<CommandLine, Boolean> seen) {
    if (seen.put(cl, Boolean.TRUE) != null) {
      return;
    }
    f.accept(cl);
    cl.getSubcommands().values().forEach(sub -> walk(sub, f, seen));
  }

  @Override
  public Integer call() {
    return new ServeCommand().call();
  }
}
