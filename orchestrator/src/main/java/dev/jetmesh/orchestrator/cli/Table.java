package dev.jetmesh.orchestrator.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header, then rows whose columns line up, two spaces apart. Long cells are
 * cut to their column's width with an ellipsis; numbers may be right-aligned; status columns are
 * colored by {@link Style#status}. Widths count code points, and padding is added before coloring
 * so that escape codes never shift a column. Not thread-safe: build, then render once.
 */
final class Table {
  enum Align {
    LEFT,
    RIGHT
  }

  /**
   * @param maxWidth cells longer than this are cut; 0: never
   * @param status color the cells as statuses
   */
  record Column(String header, Align align, int maxWidth, boolean status) {
    static Column left(String header) {
      return new Column(header, Align.LEFT, 0, false);
    }

    static Column right(String header) {
      return new Column(header, Align.RIGHT, 0, false);
    }

    static Column status(String header) {
      return new Column(header, Align.LEFT, 0, true);
    }

    static Column wrapAt(String header, int maxWidth) {
      return new Column(header, Align.LEFT, maxWidth, false);
    }
  }

  private static final String GAP = "  ";

  private final List<Column> columns;
  private final List<String[]> rows = new ArrayList<>();

  Table(Column... columns) {
    this.columns = List.of(columns);
  }

  /** Adds a row; a null or blank cell is shown as {@code -}. */
  Table row(Object... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells for " + columns.size() + " columns");
    }
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      String s = cells[i] == null ? "" : String.valueOf(cells[i]).replace('\n', ' ').strip();
      r[i] = cut(s.isEmpty() ? "-" : s, columns.get(i).maxWidth());
    }
    rows.add(r);
    return this;
  }

  int size() {
    return rows.size();
  }

  /** The header and every row, each line ending in a newline; no trailing spaces. */
  String render(Style style) {
    int[] width = new int[columns.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = length(columns.get(i).header());
      for (String[] r : rows) {
        width[i] = Math.max(width[i], length(r[i]));
      }
    }
    StringBuilder sb = new StringBuilder();
    String[] header = columns.stream().map(Column::header).toArray(String[]::new);
    line(sb, header, width, style, true);
    for (String[] r : rows) {
      line(sb, r, width, style, false);
    }
    return sb.toString();
  }

  private void line(StringBuilder sb, String[] cells, int[] width, Style style, boolean header) {
    int last = cells.length - 1;
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      Column c = columns.get(i);
      String pad = " ".repeat(width[i] - length(cells[i]));
      String text = header ? style.bold(cells[i]) : c.status() ? style.status(cells[i]) : cells[i];
      if (c.align() == Align.RIGHT) {
        line.append(pad).append(text);
      } else {
        line.append(text).append(i == last ? "" : pad);
      }
      if (i < last) {
        line.append(GAP);
      }
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** {@code s} cut to {@code max} code points, the last one an ellipsis; 0: as is. */
  static String cut(String s, int max) {
    if (max <= 0 || length(s) <= max) {
      return s;
    }
    int end = s.offsetByCodePoints(0, Math.max(0, max - 1));
    return s.substring(0, end) + "…";
  }

  @Override
  public String toString() {
    return columns + " " + rows.stream().map(Arrays::toString).toList();
  }
}
