package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A hash per read-model table, computed in SQL the same way wherever the table is (the live schema
 * or a scratch copy): every row rendered as a row literal of its columns (sorted by name, less the
 * excluded ones, each as the table's {@link TableSpec} renders it), each rendering hashed with md5,
 * the hashes concatenated in primary-key order and hashed again. The session's time zone, date
 * style and float format are pinned, since they shape the rendering. Stateless.
 */
final class ReadModelHash {
  private ReadModelHash() {}

  /** One table's row count and hash (32 hex digits). */
  record TableHash(long rows, String hash) {}

  /**
   * What one snapshot holds: both checkpoints and the tables as of them.
   *
   * @param logBound the sequence up to which {@code event_log} was hashed
   */
  record Snapshot(long main, long log, long logBound, Map<String, TableHash> tables) {}

  /**
   * Reads both checkpoints and hashes every table in one REPEATABLE READ snapshot, so the hashes
   * are of the read model exactly at the checkpoints, whatever a projector does meanwhile. {@code
   * event_log} is hashed up to {@code logBound}, or, when it is negative, up to its own checkpoint:
   * the log may lag the main projection by a few batches (a stopped projector leaves what it had
   * not yet logged to its next start), and its missing tail is not a difference.
   */
  static Snapshot take(Database db, List<TableSpec> tables, long logBound) {
    try (Connection c = db.rawConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        try (Statement s = c.createStatement()) {
          s.execute(
              "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD';"
                  + " SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1");
        }
        long main = checkpoint(c, Checkpoints.MAIN);
        long log = checkpoint(c, EventLogWriter.NAME);
        long bound = logBound >= 0 ? logBound : Math.min(main, log);
        Map<String, TableHash> hashes = new LinkedHashMap<>();
        for (TableSpec t : tables) {
          String bounded = t.equals(EventLogWriter.TABLE) ? "t.seq <= " + bound : null;
          hashes.put(t.name(), hash(c, t, bounded));
        }
        return new Snapshot(main, log, bound, hashes);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("read-model hashes", e);
    }
  }

  private static long checkpoint(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT last_seq FROM projection_checkpoint WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  private static TableHash hash(Connection c, TableSpec t, @Nullable String bounded)
      throws SQLException {
    List<String> columns = columns(c, t);
    String row =
        columns.stream()
            .map(
                col ->
                    t.renderings().containsKey(col)
                        ? "(" + t.renderings().get(col) + ")"
                        : column(col))
            .collect(Collectors.joining(", ", "ROW(", ")"));
    List<String> conditions = new ArrayList<>();
    if (t.rowsWhere() != null) {
      conditions.add("(" + t.rowsWhere() + ")");
    }
    if (bounded != null) {
      conditions.add(bounded);
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    String order = t.key().stream().map(ReadModelHash::column).collect(Collectors.joining(", "));
    String sql =
        "SELECT count(*), md5(coalesce(string_agg(md5("
            + row
            + "::text), '' ORDER BY "
            + order
            + "), '')) FROM \""
            + t.name()
            + "\" t"
            + where;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return new TableHash(rs.getLong(1), rs.getString(2));
    }
  }

  /** The table's columns, by name, less the excluded ones. */
  private static List<String> columns(Connection c, TableSpec t) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT attname FROM pg_attribute
            WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped
            ORDER BY attname
            """)) {
      ps.setString(1, t.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!t.excluded().contains(rs.getString(1))) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no table " + t.name() + " in the search path");
    }
    return out;
  }

  private static String column(String name) {
    return "t.\"" + name + "\"";
  }
}
