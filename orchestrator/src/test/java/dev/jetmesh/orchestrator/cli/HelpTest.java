package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.config.ClientSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** {@code --help} on every command, with an example, and a description for every option. */
class HelpTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    return run(ClientSettings.from(Map.of()), args);
  }

  static Run run(ClientSettings settings, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(settings, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Every command's path below {@code jetmesh}: {@code [submit]}, {@code [plan, create]}, … */
  static List<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    CommandLine root = Main.commandLine(new Cli(() -> ClientSettings.from(Map.of()), false));
    Main.everyCommand(
        root,
        c -> {
          List<String> path = new ArrayList<>();
          for (CommandLine x = c; x.getParent() != null; x = x.getParent()) {
            path.addFirst(x.getCommandName());
          }
          out.add(path);
        });
    return out;
  }

  @Test
  void everyCommand_answersHelp_withAnExampleInItsFooter() {
    List<List<String>> all = commands();
    assertThat(all).hasSizeGreaterThan(25);
    for (List<String> path : all) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run r = run(args.toArray(String[]::new));
      assertThat(r.exit()).as("jetmesh %s --help: %s", path, r.err()).isZero();
      assertThat(r.out()).as("jetmesh %s --help", path).contains("Usage: jetmesh");
      assertThat(r.out()).as("example in jetmesh %s --help", path).containsPattern("Examples?:");
      String example = r.out().substring(r.out().lastIndexOf("Example"));
      assertThat(example)
          .as("example of jetmesh %s", path)
          .contains(path.isEmpty() ? "jetmesh " : "jetmesh " + path.get(0));
    }
  }

  @Test
  void theIssuesExamples_serveHelp_andSubmitHelp_work() {
    assertThat(run("serve", "--help").exit()).isZero();
    Run submit = run("submit", "--help");
    assertThat(submit.exit()).isZero();
    assertThat(submit.out()).contains("--title").contains("--collab").contains("-f, --file");
    assertThat(submit.err()).doesNotContain("Missing required");
  }

  @Test
  void everyOptionAndParameter_hasADescription() {
    CommandLine root = Main.commandLine(new Cli(() -> ClientSettings.from(Map.of()), false));
    List<String> missing = new ArrayList<>();
    Main.everyCommand(
        root,
        c -> {
          for (ArgSpec a : c.getCommandSpec().args()) {
            boolean described =
                a.description().length > 0 && !String.join("", a.description()).isBlank();
            if (!described
                && !(a instanceof CommandLine.Model.PositionalParamSpec p && p.hidden())) {
              missing.add(c.getCommandSpec().qualifiedName() + " " + a.paramLabel() + a);
            }
          }
        });
    assertThat(missing).isEmpty();
  }

  @Test
  void aMistypedCommandLine_isAUsageError_exit2() {
    assertThat(run("submit", "--no-such-option").exit()).isEqualTo(2);
    assertThat(run("show").exit()).isEqualTo(2);
    assertThat(run("watch", "cake", "x1").exit()).isEqualTo(2);
    assertThat(run("show", "not a valid id").exit()).isEqualTo(2);
    assertThat(run("collab").exit()).isEqualTo(2);
  }

  @Test
  void completion_printsABashScript_thatKnowsTheCommands() {
    Run r = run("completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("complete -F")
        .contains("submit")
        .contains("watch")
        .contains("--collab");
  }

  /** {@code jetmesh args} as on a terminal {@code columns} wide ({@code $COLUMNS}). */
  static Run runAt(int columns, String... args) {
    CommandLine cl = Main.commandLine(new Cli(() -> ClientSettings.from(Map.of()), false), args);
    Main.everyCommand(cl, c -> HelpLayout.width(c, columns));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static List<CommandLine> everyCommandLine() {
    List<CommandLine> all = new ArrayList<>();
    Main.everyCommand(
        Main.commandLine(new Cli(() -> ClientSettings.from(Map.of()), false)), all::add);
    return all;
  }

  @Test
  void descriptionsAndFooters_areWholeSentences_soThatTheCommandListShowsOne() {
    // picocli lists a command by the first line of its description, and keeps each line's break:
    // a line wrapped by hand in the source ends mid-sentence in both places.
    List<String> broken = new ArrayList<>();
    for (CommandLine c : everyCommandLine()) {
      String name = c.getCommandSpec().qualifiedName();
      for (String line : c.getCommandSpec().usageMessage().description()) {
        if (!line.endsWith(".")) {
          broken.add(name + " description: " + line);
        }
      }
      for (String line : c.getCommandSpec().usageMessage().footer()) {
        boolean prose = !line.isEmpty() && !line.startsWith("  ") && !line.endsWith(":");
        if (prose && !line.endsWith(".")) {
          broken.add(name + " footer: " + line);
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void examples_fit80Columns_andAreNeverBroken_evenOnANarrowTerminal() {
    for (List<String> path : commands()) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run narrow = runAt(40, args.toArray(String[]::new));
      assertThat(narrow.exit()).isZero();
      List<String> lines = narrow.out().lines().toList();
      String examples = narrow.out().substring(narrow.out().lastIndexOf("Example"));
      examples
          .lines()
          .skip(1)
          .forEach(
              e -> {
                assertThat(e).as("example of jetmesh %s", path).startsWith("  ");
                assertThat(e.length()).as("jetmesh %s: %s", path, e).isLessThanOrEqualTo(80);
                assertThat(lines).as("jetmesh %s --help", path).contains(e);
              });
    }
  }

  @Test
  void columns_widensHelp_soThatEveryCommandListsOnOneLineAt120() {
    Run wide = runAt(120, "--help");
    String list = wide.out().substring(wide.out().indexOf("Commands:\n") + 10);
    list = list.substring(0, list.indexOf("\n\n"));
    assertThat(list.lines()).hasSize(Main.COMMANDS.size() - 1); // cds-training is hidden
    assertThat(list.lines()).allMatch(l -> l.endsWith("."));
  }

  @Test
  void everyOptionThatTakesAValue_namesWhatItTakes() {
    List<String> unnamed = new ArrayList<>();
    for (CommandLine c : everyCommandLine()) {
      for (CommandLine.Model.OptionSpec o : c.getCommandSpec().options()) {
        if (o.arity().max() > 0 && o.paramLabel().startsWith("<")) {
          unnamed.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
        }
      }
    }
    assertThat(unnamed).isEmpty();
  }
}
