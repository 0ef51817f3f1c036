package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes a rebuild drops while it projects and creates again afterwards, as a bulk load does:
 * those the projections declare with {@link TableSpec#deferringIndexes}.
 *
 * <p>No table is ever left without its indexes for good. An index is dropped in the transaction
 * that records its definition ({@code pg_get_indexdef}) in {@value #TABLE}, and created again in
 * the transaction that deletes the record, so at every moment it is either in place or recorded. A
 * rebuild creates them again when it ends, and when it fails or is interrupted while Postgres still
 * answers; one that dies leaves records, and whoever next holds the projector's leader lock creates
 * those indexes first: an orchestrator about to migrate (when nobody leads), its projector when it
 * takes the lead, and the next rebuild. All of them hold the lock, so none builds indexes under a
 * running rebuild. Which records are trusted, and what becomes of the others: {@link
 * RecordedIndex}. Stateless and thread-safe; the callers serialise through the lock.
 */
public final class DeferredIndexes {
  /** The record of dropped indexes (migration V11), in the read model's schema. */
  static final String TABLE = "rebuild_deferred_index";

  private static final Logger LOG = LoggerFactory.getLogger(DeferredIndexes.class);

  /**
   * How long an orchestrator about to migrate waits for the records to be gone while another
   * process holds the lock: as long as {@code jetmesh rebuild} waits for the lock by default.
   */
  static final Duration MIGRATE_WAIT = Duration.ofSeconds(10);

  /** A declared index that a rebuild cannot drop: the table lacks it, or it enforces something. */
  public static final class UndeferrableIndexException extends MeshException {
    UndeferrableIndexException(String message) {
      super(ErrorCode.INTERNAL, message);
    }
  }

  /**
   * A recorded index cannot be created again, for a reason that trying again will not cure: its
   * record in {@value #TABLE} is kept, and the projector halts on it (docs/operations.md, Projector
   * halts).
   */
  public static final class IndexNotRestoredException extends MeshException {
    IndexNotRestoredException(
        String index, String table, String reason, @Nullable SQLException cause) {
      super(
          ErrorCode.INTERNAL,
          "index "
              + index
              + " of table "
              + table
              + " cannot be created again from its record in "
              + TABLE
              + ": "
              + reason,
          cause);
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
   * that is built survives a failure of the next); see {@link RecordedIndex#restore} for the
   * records that create nothing. Call it holding the projector's leader lock.
   *
   * @param tables the tables of this version's projections: they say which records to trust
   * @param say receives a line per index created, or found there already
   * @return how many indexes it created
   * @throws SQLException a transient failure ({@link Parking#isTransient})
   * @throws IndexNotRestoredException a lasting one
   */
  static int restore(Database db, List<TableSpec> tables, Consumer<String> say)
      throws SQLException {
    Map<String, String> declared = new HashMap<>();
    tables.forEach(t -> t.deferredIndexes().forEach(name -> declared.put(name, t.name())));
    int created = 0;
    try (Connection c = db.rawConnection()) {
      List<String> names = RecordedIndex.pending(c);
      c.setAutoCommit(false);
      for (String name : names) {
        long t0 = System.nanoTime();
        try {
          RecordedIndex r = RecordedIndex.lock(c, name);
          if (r == null) {
            c.rollback();
            continue;
          }
          RecordedIndex.Outcome o = r.restore(c, declared);
          c.commit();
          if (o == RecordedIndex.Outcome.CREATED) {
            created++;
            say.accept(
                String.format(
                    Locale.ROOT,
                    "index %s on %s created again in %.1f s",
                    name,
                    r.table(),
                    (System.nanoTime() - t0) / 1e9));
          } else if (o == RecordedIndex.Outcome.EXISTED) {
            say.accept("index " + name + " on " + r.table() + " exists already: record deleted");
          }
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          throw e;
        }
      }
    }
    return created;
  }

  /**
   * {@link #restore} for a projector that takes the lead: a transient failure (Postgres restarting,
   * the connection lost) is tried again with back-off, as a batch is, until it succeeds or the
   * projector stops; a lasting one halts the projector, naming the record.
   */
  static void restoreAtTakeover(Database db, List<Projection> projections, BooleanSupplier stopping)
      throws SQLException, InterruptedException {
    List<TableSpec> tables = Rebuild.tables(projections);
    Backoff backoff = new Backoff();
    while (true) {
      try {
        restore(db, tables, line -> LOG.warn("a rebuild stopped half way: {}", line));
        return;
      } catch (IndexNotRestoredException e) {
        throw new ProjectorHaltedException(e.getMessage(), e);
      } catch (SQLException | RuntimeException e) {
        if (!Parking.isTransient(e) || stopping.getAsBoolean()) {
          throw e;
        }
        LOG.warn(
            "database unavailable, retrying the indexes a rebuild dropped in {} ms: {}",
            backoff.millis(),
            e.toString());
        backoff.pause();
      }
    }
  }

  /**
   * Runs the migrations, as an orchestrator does when it starts, having first created the recorded
   * indexes if nobody holds the projector's lock, and holding it while it migrates: a migration
   * that changes one of them then finds it in place, and no rebuild starts in between. Whoever
   * holds the lock is a projector, which creates them when it takes the lead, or a rebuild, whose
   * indexes they are. So while records remain and the lock is busy it waits, up to {@link
   * #MIGRATE_WAIT}, polling every 100 ms, for them to be gone (the new leader creating them) or the
   * lock to be free; then it migrates anyway, and says why. If creating them fails, the projector
   * tries again when it leads.
   *
   * @param projections this version's projections, which say what indexes it defers: asked only if
   *     there are records, as building them may read tables that the migrations make (a database
   *     with records has been migrated to V11 at least)
   */
  public static void restoreThenMigrate(
      Database db, String stream, Supplier<List<Projection>> projections) {
    restoreThenMigrate(db, stream, () -> Rebuild.tables(projections.get()), MIGRATE_WAIT);
  }

  static void restoreThenMigrate(
      Database db, String stream, Supplier<List<TableSpec>> tables, Duration wait) {
    LeaderLock lock = new LeaderLock(db, stream);
    try {
      try {
        if (leadOrAwaitRestored(db, lock, wait) && recorded(db) > 0) {
          restore(db, tables.get(), line -> LOG.warn("a rebuild stopped half way: {}", line));
        }
      } catch (SQLException | RuntimeException e) {
        LOG.warn("indexes a rebuild dropped are not created again yet: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the caller sees it; the migrations still run
      }
      db.migrate();
    } finally {
      lock.release();
    }
  }

  /**
   * True once this process holds the lock; false when another holds it and no index is recorded, or
   * still some after {@code wait}.
   */
  private static boolean leadOrAwaitRestored(Database db, LeaderLock lock, Duration wait)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!lock.tryLead()) {
      int recorded = recorded(db);
      if (recorded == 0) {
        return false;
      }
      if (System.nanoTime() >= deadline) {
        LOG.warn(
            "migrating with {} indexes still recorded in {} after {} ms: another process holds the"
                + " projector's lock (a rebuild that is still running, or a projector that cannot"
                + " create them); a migration that changes one of them finds it missing",
            recorded,
            TABLE,
            wait.toMillis());
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  /** How many indexes are recorded. */
  static int recorded(Database db) throws SQLException {
    try (Connection c = db.rawConnection()) {
      return RecordedIndex.pending(c).size();
    }
  }

  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
