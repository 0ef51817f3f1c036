package dev.jetmesh.orchestrator.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Set;

/**
 * How text is decorated: ANSI colors on a terminal, nothing when piped or when {@code NO_COLOR} is
 * set. Immutable.
 */
record Style(boolean color) {
  static final Style PLAIN = new Style(false);

  private static final Set<String> GOOD =
      Set.of("completed", "converged", "joined", "approved", "ok", "yes", "passed", "kept");
  private static final Set<String> BAD =
      Set.of(
          "failed",
          "aborted",
          "cancelled",
          "released",
          "removed",
          "blocked",
          "error",
          "no",
          "budget_exceeded");
  private static final Set<String> BUSY =
      Set.of("running", "claimed", "active", "executing", "recruiting", "stale");

  /** Colors when standard output is a terminal and {@code noColor} is false. */
  static Style detect(boolean noColor) {
    return new Style(!noColor && isTerminal());
  }

  String bold(String s) {
    return sgr("1", s);
  }

  String dim(String s) {
    return sgr("2", s);
  }

  String red(String s) {
    return sgr("31", s);
  }

  /** {@code s} colored by what a status word means: green done, red failed, yellow under way. */
  String status(String s) {
    String k = s.strip().toLowerCase(Locale.ROOT);
    if (GOOD.contains(k)) {
      return sgr("32", s);
    }
    if (BAD.contains(k)) {
      return sgr("31", s);
    }
    if (BUSY.contains(k)) {
      return sgr("33", s);
    }
    return s;
  }

  private String sgr(String code, String s) {
    return color ? "\033[" + code + "m" + s + "\033[0m" : s;
  }

  /**
   * Whether standard output is a terminal. Java 22 to 24 return a console even when output is
   * piped, and tell with {@code Console.isTerminal()}, which release 21 cannot name.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() is asked where it exists
  private static boolean isTerminal() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      Method m = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(m.invoke(c));
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only on a terminal
    }
  }
}
