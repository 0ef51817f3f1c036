package dev.jetmesh.orchestrator.db;

import dev.jetmesh.schema.Instants;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's {@code COPY} text format, written with one {@code COPY ... FROM STDIN}: the
 * cheapest way to load a batch, for the client (no per-value binding) and for the server (no
 * per-row statement). Values are escaped here, never interpreted: a value holding tabs, newlines,
 * backslashes or quotes arrives unchanged. Not thread-safe; one per batch.
 */
public final class CopyRows {
  private static final int SLICE = 1 << 20;

  private final StringBuilder sb;
  private boolean rowStart = true;
  private int rows;

  /** For a batch of rows. */
  public CopyRows() {
    this(8 * 1024);
  }

  /** With room for about {@code chars} characters of rows. */
  public CopyRows(int chars) {
    this.sb = new StringBuilder(chars);
  }

  /** A text value, or SQL NULL. */
  public CopyRows text(@Nullable String v) {
    separate();
    if (v == null) {
      sb.append("\\N");
    } else {
      escape(v);
    }
    return this;
  }

  public CopyRows number(long v) {
    separate();
    sb.append(v);
    return this;
  }

  /** A number, or SQL NULL. */
  public CopyRows number(@Nullable Number v) {
    separate();
    if (v == null) {
      sb.append("\\N");
    } else {
      sb.append(v);
    }
    return this;
  }

  /** A boolean, or SQL NULL. */
  public CopyRows bool(@Nullable Boolean v) {
    separate();
    sb.append(v == null ? "\\N" : v ? "t" : "f");
    return this;
  }

  /** A timestamp (ISO-8601, read by {@code timestamptz}), or SQL NULL. */
  public CopyRows time(@Nullable Instant v) {
    separate();
    if (v == null) {
      sb.append("\\N");
    } else {
      Instants.appendTo(sb, v); // nothing in it needs an escape
    }
    return this;
  }

  /** A {@code text[]} value (never NULL: an empty list is the empty array). */
  public CopyRows textArray(List<String> values) {
    StringBuilder lit = new StringBuilder(2 + 16 * values.size()).append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        lit.append(',');
      }
      lit.append('"');
      String v = values.get(i);
      for (int k = 0; k < v.length(); k++) {
        char ch = v.charAt(k);
        if (ch == '"' || ch == '\\') {
          lit.append('\\');
        }
        lit.append(ch);
      }
      lit.append('"');
    }
    return text(lit.append('}').toString());
  }

  /** Ends the current row. */
  public CopyRows endRow() {
    sb.append('\n');
    rowStart = true;
    rows++;
    return this;
  }

  public int rows() {
    return rows;
  }

  /** Appends rows rendered by another {@code CopyRows} ({@link #rendered}). */
  public CopyRows rows(String rendered, int count) {
    if (!rowStart) {
      throw new IllegalStateException("the current row is not ended");
    }
    sb.append(rendered);
    rows += count;
    return this;
  }

  /** The rows so far, in COPY text format, for {@link #rows(String, int)}. */
  public String rendered() {
    return sb.toString();
  }

  /**
   * Sends the rows as {@code COPY table (columns) FROM STDIN} on {@code c} (inside the caller's
   * transaction). Returns the number of rows the server loaded.
   */
  public long copyInto(Connection c, String table, String columns) throws SQLException {
    if (rows == 0) {
      return 0;
    }
    // Encoded at once (a Reader is read and encoded in small chunks), sent in slices: the server
    // refuses a single message over 1 GB.
    byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
    CopyIn in =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
    try {
      for (int off = 0; off < data.length; off += SLICE) {
        in.writeToCopy(data, off, Math.min(SLICE, data.length - off));
      }
      return in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy(); // whatever failed, the connection leaves COPY mode and can roll back
      }
    }
  }

  private void separate() {
    if (!rowStart) {
      sb.append('\t');
    }
    rowStart = false;
  }

  private void escape(String v) {
    // Copies runs of plain characters at once; only a backslash and the three whitespace
    // characters COPY's text format uses as separators need an escape.
    int from = 0;
    int n = v.length();
    for (int i = 0; i < n; i++) {
      char ch = v.charAt(i);
      if (ch >= ' ' && ch != '\\') {
        continue;
      }
      String escaped =
          switch (ch) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> null;
          };
      if (escaped != null) {
        sb.append(v, from, i).append(escaped);
        from = i + 1;
      }
    }
    sb.append(v, from, n);
  }
}
