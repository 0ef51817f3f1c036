package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.projection.DeferredIndexes.IndexNotRestoredException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One row of {@value DeferredIndexes#TABLE}: an index that a rebuild dropped, and the statement
 * that makes it again, which {@link #restore} runs. That statement is read from a table that anyone
 * who can write the database may edit, so it runs only when it is an index this version's
 * projections declare, on the table they declare it for, in the one shape {@code pg_get_indexdef}
 * gives. Immutable; its methods work in the caller's transaction.
 */
record RecordedIndex(String name, String table, String definition) {
  private static final Logger LOG = LoggerFactory.getLogger(RecordedIndex.class);

  /** SQLSTATE duplicate_table: a relation of that name exists already. */
  private static final String EXISTS = "42P07";

  /** SQLSTATEs undefined_table and undefined_column: what the index was on is gone. */
  private static final Set<String> GONE = Set.of("42P01", "42703");

  /** What became of a record; it is deleted in every case. */
  enum Outcome {
    /** The index was created again. */
    CREATED,
    /** The same index was there already (created by hand, or by a migration). */
    EXISTED,
    /** Nothing was created: the record was foreign, stale or in conflict (logged as a warning). */
    DROPPED
  }

  /** The recorded names, oldest first; none before migration V11 made the table. */
  static List<String> pending(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, DeferredIndexes.TABLE);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return List.of();
        }
      }
    }
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT name FROM " + DeferredIndexes.TABLE + " ORDER BY dropped_at, name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /**
   * The record of {@code name}, locked until the transaction ends; null when it was deleted since
   * {@link #pending} read it. Only by hand: whoever restores holds the projector's lock, and
   * several streams in one database (each with a lock of its own) are not a supported setup.
   */
  static @Nullable RecordedIndex lock(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT table_name, definition FROM "
                + DeferredIndexes.TABLE
                + " WHERE name = ? FOR UPDATE")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new RecordedIndex(name, rs.getString(1), rs.getString(2)) : null;
      }
    }
  }

  /**
   * Creates the index again and deletes the record, in {@code c}'s transaction (the caller
   * commits).
   *
   * @param declared every index this version's projections defer → its table
   * @throws SQLException a transient failure ({@link Parking#isTransient}): try again
   * @throws IndexNotRestoredException a lasting one, or a definition that may not run
   */
  Outcome restore(Connection c, Map<String, String> declared) throws SQLException {
    if (!table.equals(declared.get(name))) {
      // Left by another version (one that deferred an index this one no longer has), or written
      // by hand: what it would create is not this version's to create.
      LOG.warn(
          "{} records index {} of table {}, which this version's projections do not declare"
              + " deferrable (TableSpec.deferringIndexes): the record is deleted, nothing created",
          DeferredIndexes.TABLE,
          name,
          table);
      return delete(c, Outcome.DROPPED);
    }
    String qualified = qualifiedTable(c);
    if (qualified == null) {
      return gone(c, "table " + table + " does not exist");
    }
    if (!shape(qualified).matcher(definition).matches()) {
      throw new IndexNotRestoredException(
          name,
          table,
          "its definition is not one CREATE INDEX "
              + name
              + " ON "
              + qualified
              + " statement as pg_get_indexdef writes it, so it is not run: "
              + definition,
          null);
    }
    try (Statement s = c.createStatement()) {
      // A statement_timeout set for the role or database would cancel the build of a large index
      // half way, every time it is tried.
      s.execute("SET LOCAL statement_timeout = 0");
    }
    Savepoint before = c.setSavepoint();
    try (Statement s = c.createStatement()) {
      s.execute(definition);
    } catch (SQLException e) {
      if (Parking.isTransient(e)) {
        throw e;
      }
      c.rollback(before);
      if (EXISTS.equals(e.getSQLState())) {
        return existing(c);
      }
      String why = summary(e);
      if (GONE.contains(e.getSQLState())) {
        return gone(c, why);
      }
      throw new IndexNotRestoredException(name, table, why, e);
    }
    return delete(c, Outcome.CREATED);
  }

  /**
   * {@code CREATE [UNIQUE] INDEX <name> ON [ONLY] <schema>.<table> USING …}, with no semicolon
   * anywhere: pgjdbc runs each statement of a string that has several, and a semicolon can hide
   * from a check inside a quote or a comment. No index that a projection defers has one in its
   * definition.
   */
  private Pattern shape(String qualified) {
    return Pattern.compile(
        "CREATE (UNIQUE )?INDEX "
            + Pattern.quote(name)
            + " ON (ONLY )?"
            + Pattern.quote(qualified)
            + " USING [^;]+");
  }

  /** Postgres's one-line message, without the hint and position lines pgjdbc adds to it. */
  private static String summary(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int eol = m.indexOf('\n');
    return (eol < 0 ? m : m.substring(0, eol)) + " (SQLSTATE " + e.getSQLState() + ")";
  }

  /** The table as {@code pg_get_indexdef} names it (schema-qualified, quoted where needed). */
  private @Nullable String qualifiedTable(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(t.relname)
            FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE t.oid = to_regclass(?)
            """)) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** A relation named like the index is in the table's schema already. */
  private Outcome existing(Connection c) throws SQLException {
    String found;
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT CASE WHEN r.relkind IN ('i', 'I') THEN pg_get_indexdef(r.oid)
                        ELSE 'a relation of kind ' || r.relkind::text || ', not an index' END
            FROM pg_class r
            WHERE r.relname = ?
              AND r.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass(?))
            """)) {
      ps.setString(1, name);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        found = rs.next() ? rs.getString(1) : "nothing (dropped meanwhile)";
      }
    }
    if (definition.equals(found)) {
      return delete(c, Outcome.EXISTED);
    }
    // Someone made it differently (a migration of a newer version, or by hand), or the name is
    // taken by something else. Whichever it is was made on purpose, and dropping it might lose
    // more than an index; the record cannot be created beside it and would stop every later
    // restore, so it goes, and a person decides.
    LOG.warn(
        "NOT RESTORED: index {} of table {} recorded in {} was not created again: a relation of"
            + " that name exists already and differs, and is kept. It is: {}. The record, now"
            + " deleted, said: {}",
        name,
        table,
        DeferredIndexes.TABLE,
        found,
        definition);
    return delete(c, Outcome.DROPPED);
  }

  /** What the index was on is gone (a migration dropped it): nothing left to index. */
  private Outcome gone(Connection c, String why) throws SQLException {
    LOG.warn(
        "index {} of table {} recorded in {} is not created again ({}): the record is deleted",
        name,
        table,
        DeferredIndexes.TABLE,
        why);
    return delete(c, Outcome.DROPPED);
  }

  private Outcome delete(Connection c, Outcome outcome) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + DeferredIndexes.TABLE + " WHERE name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
    return outcome;
  }
}
