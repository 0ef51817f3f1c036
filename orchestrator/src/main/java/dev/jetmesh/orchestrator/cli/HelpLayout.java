package dev.jetmesh.orchestrator.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How a help page fits the terminal. It is as wide as {@code $COLUMNS} when that is set, else as
 * the terminal picocli finds, else 80 columns. Descriptions and footers are written one string per
 * paragraph and wrapped to that width; the footer's example lines (indented by two spaces) are
 * printed as written, since a line broken in the middle of a command no longer runs when copied.
 * Stateless.
 */
final class HelpLayout {
  /** picocli's narrowest usage width. */
  static final int MIN_WIDTH = 55;

  private HelpLayout() {}

  /** Wraps {@code cl}'s help to the terminal, with examples kept whole. */
  static void apply(CommandLine cl) {
    cl.setUsageHelpAutoWidth(true);
    Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(cl.getHelpSectionMap());
    sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
    cl.setHelpSectionMap(sections);
  }

  /**
   * Makes {@code cl}'s help {@code columns} wide (at least {@link #MIN_WIDTH}), whatever the
   * terminal; does nothing when it is null.
   *
   * @param columns {@code $COLUMNS} ({@link
   *     dev.jetmesh.orchestrator.config.ClientSettings#columns}), which a shell sets but rarely
   *     exports: given, it is meant
   */
  static void width(CommandLine cl, @Nullable Integer columns) {
    if (columns != null) {
      cl.setUsageHelpAutoWidth(false);
      cl.setUsageHelpWidth(Math.max(MIN_WIDTH, columns));
    }
  }

  /**
   * The footer: prose lines wrapped as picocli wraps them (they are format strings, as there),
   * example lines printed as they are written.
   */
  static String footer(Help help) {
    UsageMessageSpec usage = help.commandSpec().usageMessage();
    StringBuilder sb = new StringBuilder();
    for (String line : usage.footer()) {
      if (line.startsWith("  ")) {
        sb.append(line).append(System.lineSeparator());
      } else {
        Help.join(
            help.colorScheme().ansi(),
            usage.width(),
            usage.adjustLineBreaksForWideCJKCharacters(),
            new String[] {line},
            sb);
      }
    }
    return sb.toString();
  }
}
