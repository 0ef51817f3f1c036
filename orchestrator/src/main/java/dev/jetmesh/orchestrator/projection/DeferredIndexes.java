package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes a rebuild drops while it projects and creates again afterwards, as a bulk load does:
 * those the projections declare with {@link TableSpec#deferringIndexes}.
 *
 * <p>No table is ever left without its indexes for good. An index is dropped in the transaction
 * that records its definition ({@code pg_get_indexdef}) in {@value #TABLE}, and created again in
 * the transaction that deletes the record, so at every moment it is either in place or recorded. A
 * rebuild creates them again when it ends, and when it fails while Postgres still answers; one that
 * dies leaves records, and whoever next holds the projector's leader lock creates those indexes
 * first: an orchestrator about to migrate (when nobody leads), its projector when it takes the
 * lead, and the next rebuild. All of them hold the lock, so none builds indexes under a running
 * rebuild. Stateless and thread-safe; the callers serialise through the lock.
 */
public final class DeferredIndexes {
  /** The record of dropped indexes (migration V11), in the read model's schema. */
  static final String TABLE = "rebuild_deferred_index";

  private static final Logger LOG = LoggerFactory.getLogger(DeferredIndexes.class);

  /** SQLSTATE duplicate_table: a relation of that name exists already. */
  private static final String EXISTS = "42P07";

  /** A declared index that a rebuild cannot drop: the table lacks it, or it enforces something. */
  public static final class UndeferrableIndexException extends MeshException {
    UndeferrableIndexException(String message) {
      super(ErrorCode.INTERNAL, message);
    }
  }

  /**
   * One declared index as Postgres has it.
   *
   * @param qualified its name, schema-qualified and quoted, for {@code DROP INDEX}
   * @param definition the {@code CREATE INDEX} statement that makes it again (it names the table
   *     with its schema, so it creates the index where it was)
   */
  record Index(String table, String name, String qualified, String definition) {}

  private DeferredIndexes() {}

  /**
   * The indexes that {@code tables} declare, each resolved on its table through {@code c}'s search
   * path (the live schema, or a rebuild's scratch copy).
   *
   * @throws UndeferrableIndexException when a table lacks one (renamed or dropped by a migration:
   *     the declaration must follow), or one is unique or backs a constraint
   */
  static List<Index> declared(Connection c, List<TableSpec> tables) throws SQLException {
    List<Index> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT i.relname, quote_ident(n.nspname) || '.' || quote_ident(i.relname),
                   pg_get_indexdef(i.oid),
                   x.indisunique OR x.indisprimary
                       OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_namespace n ON n.oid = i.relnamespace
            WHERE x.indrelid = to_regclass(?) AND i.relname = ANY(?)
            """)) {
      for (TableSpec t : tables) {
        if (t.deferredIndexes().isEmpty()) {
          continue;
        }
        ps.setString(1, t.name());
        ps.setArray(2, c.createArrayOf("text", t.deferredIndexes().toArray()));
        Map<String, Index> found = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String name = rs.getString(1);
            if (rs.getBoolean(4)) {
              throw new UndeferrableIndexException(
                  "index "
                      + name
                      + " of table "
                      + t.name()
                      + " is unique or backs a constraint, so a rebuild may not drop it; stop"
                      + " declaring it deferrable (TableSpec.deferringIndexes)");
            }
            found.put(name, new Index(t.name(), name, rs.getString(2), rs.getString(3)));
          }
        }
        for (String name : t.deferredIndexes()) {
          Index i = found.get(name);
          if (i == null) {
            throw new UndeferrableIndexException(
                "table "
                    + t.name()
                    + " has no index "
                    + name
                    + ", which its projection declares deferrable (TableSpec.deferringIndexes):"
                    + " if a migration renamed or dropped it, declare the new name or none");
          }
          out.add(i);
        }
      }
    }
    return out;
  }

  /**
   * Records every index that {@code tables} declare and drops it, in {@code c}'s transaction (the
   * caller commits or rolls back, so either all of it happens or none).
   *
   * @return the indexes dropped
   */
  static List<Index> drop(Connection c, List<TableSpec> tables) throws SQLException {
    List<Index> indexes = declared(c, tables);
    try (PreparedStatement record =
            c.prepareStatement(
                "INSERT INTO " + TABLE + " (name, table_name, definition) VALUES (?, ?, ?)");
        Statement s = c.createStatement()) {
      for (Index i : indexes) {
        record.setString(1, i.name());
        record.setString(2, i.table());
        record.setString(3, i.definition());
        record.executeUpdate();
        s.execute("DROP INDEX " + i.qualified());
      }
    }
    return indexes;
  }

  /**
   * Creates every recorded index again and deletes its record, one transaction per index (so one
   * that is built survives a failure of the next). An index that exists already (created by hand)
   * only loses its record. Call it holding the projector's leader lock.
   *
   * @param say receives a line per index
   * @return how many records there were
   */
  static int restore(Database db, Consumer<String> say) throws SQLException {
    try (Connection c = db.rawConnection()) {
      List<String> names = pending(c);
      c.setAutoCommit(false);
      for (String name : names) {
        try {
          restoreOne(c, name, say);
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
      return names.size();
    }
  }

  /**
   * Runs the migrations, as an orchestrator does when it starts, having first created the recorded
   * indexes if nobody holds the projector's lock: a migration that changes one of them then finds
   * it in place. Whoever holds the lock is a projector, which created them when it took the lead,
   * or a rebuild, whose indexes they are; if creating them fails, the projector tries again when it
   * leads.
   */
  public static void restoreThenMigrate(Database db, String stream) {
    LeaderLock lock = new LeaderLock(db, stream);
    boolean led = false;
    try {
      led = lock.tryLead();
      if (led) {
        restore(db, line -> LOG.warn("a rebuild stopped half way: {}", line));
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("indexes a rebuild dropped are not created again yet: {}", e.toString());
    } finally {
      lock.release();
    }
    db.migrate();
  }

  /** The recorded names, oldest first; none before migration V11 made the table. */
  private static List<String> pending(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, TABLE);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return List.of();
        }
      }
    }
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM " + TABLE + " ORDER BY dropped_at, name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static void restoreOne(Connection c, String name, Consumer<String> say)
      throws SQLException {
    String table;
    String definition;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT table_name, definition FROM " + TABLE + " WHERE name = ? FOR UPDATE")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          c.rollback(); // deleted meanwhile, by hand or by a projector of another stream
          return;
        }
        table = rs.getString(1);
        definition = rs.getString(2);
      }
    }
    long t0 = System.nanoTime();
    boolean created = true;
    Savepoint before = c.setSavepoint();
    try (Statement s = c.createStatement()) {
      s.execute(definition);
    } catch (SQLException e) {
      if (!EXISTS.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(before);
      created = false;
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
    c.commit();
    say.accept(
        created
            ? String.format(
                Locale.ROOT,
                "index %s on %s created again in %.1f s",
                name,
                table,
                (System.nanoTime() - t0) / 1e9)
            : "index " + name + " on " + table + " exists already: its record is deleted");
  }
}
