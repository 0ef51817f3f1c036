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
      "Without a command, runs `serve`.",
      "Exit codes: 0 ok, 1 refused (or the answer is no), 2 usage or configuration,"
          + " 3 unreachable. See docs/cli.md.",
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
    CommandLine cl = commandLine(new Cli(ClientSettings::fromEnv, true), args);
    Integer columns = ClientSettings.columns();
    everyCommand(cl, c -> HelpLayout.width(c, columns));
    return cl.execute(args);
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
    everyCommand(
        cl,
        c -> {
          c.getCommandSpec().mixinStandardHelpOptions(true);
          HelpLayout.apply(c);
        });
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
   * A failure prints one line, {@code jetmesh: <message>}, and exits with {@link Exit#of}'s code; a
   * command line that does not parse, too, with where to look instead of the whole usage page.
   */
  static CommandLine configure(CommandLine cl) {
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr()
              .println(
                  "jetmesh: "
                      + usageError(ex)
                      + " (see "
                      + cmd.getCommandSpec().qualifiedName()
                      + " --help)");
          cmd.getErr().flush();
          return Exit.USAGE;
        });
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

  /**
   * What is wrong with the command line: picocli's message, except for a word where a command was
   * expected, which picocli calls an "unmatched argument".
   */
  static String usageError(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && !u.isUnknownOption()
        && !u.getUnmatched().isEmpty()
        && !ex.getCommandLine().getSubcommands().isEmpty()) {
      String word = u.getUnmatched().getFirst();
      // picocli suggests the most similar name however far it is (bogus: abort); a typo is near.
      List<String> like = u.getSuggestions().stream().filter(s -> distance(word, s) <= 2).toList();
      return "unknown command '"
          + word
          + "'"
          + (like.isEmpty() ? "" : ", did you mean '" + like.getFirst() + "'?");
    }
    return String.valueOf(ex.getMessage());
  }

  /** The Levenshtein distance of {@code a} and {@code b}: edits that turn one into the other. */
  static int distance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        int swap = diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        row[j] = Math.min(swap, Math.min(above, row[j - 1]) + 1);
        diagonal = above;
      }
    }
    return row[b.length()];
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
