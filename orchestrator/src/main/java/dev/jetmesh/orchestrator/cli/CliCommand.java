package dev.jetmesh.orchestrator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code jetmesh} subcommand: reaches the invocation's {@link Cli} and its output streams. */
abstract class CliCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  final Cli cli() {
    return ((Main) spec.root().userObject()).cli();
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  final PrintWriter err() {
    return spec.commandLine().getErr();
  }

  final Style style() {
    return cli().style();
  }

  /** Prints {@code text} as it is (it ends in a newline) and flushes. */
  final void print(String text) {
    out().print(text);
    out().flush();
  }
}
