package dev.jetmesh.orchestrator.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing shown as {@code label value} lines, labels aligned; values that are null or blank are
 * left out. Not thread-safe.
 */
final class Fields {
  private final List<String[]> lines = new ArrayList<>();

  Fields add(String label, Object value) {
    String v = value == null ? "" : String.valueOf(value).strip();
    if (!v.isEmpty() && !"-".equals(v)) {
      lines.add(new String[] {label, v});
    }
    return this;
  }

  String render(Style style) {
    int w = lines.stream().mapToInt(l -> Table.length(l[0])).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      String pad = " ".repeat(w - Table.length(l[0]) + 2);
      String value = l[0].equals("status") ? style.status(l[1]) : l[1];
      String indented = value.replace("\n", "\n" + " ".repeat(w + 2));
      sb.append(style.bold(l[0])).append(pad).append(indented).append('\n');
    }
    return sb.toString();
  }
}
