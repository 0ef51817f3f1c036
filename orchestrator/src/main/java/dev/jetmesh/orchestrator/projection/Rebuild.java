package dev.jetmesh.orchestrator.projection;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.ReadModelHash.Snapshot;
import dev.jetmesh.orchestrator.projection.ReadModelHash.TableHash;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds the read models from the stream and compares them with what was there, table by table,
 * with hashes computed the same way on both sides ({@link ReadModelHash}). Both modes project
 * events 1 to C, C being the main checkpoint read in the same snapshot as the "before" hashes; the
 * events after C are left to the orchestrators, which resume from C.
 *
 * <ul>
 *   <li>{@link #replace}: takes the projector's leader lock; creates again any indexes an earlier
 *       rebuild left dropped, and migrates; hashes the tables; in one transaction drops the indexes
 *       the projections defer ({@link DeferredIndexes}), truncates every table they declare and
 *       resets both checkpoints; then projects into the live tables, creates those indexes again,
 *       analyses the tables, and hashes them once more. Should it stop half way, the checkpoints
 *       say how far it got and the next projector continues from there, having created the indexes
 *       first.
 *   <li>{@link #verify}: projects into a scratch schema, migrated for the purpose (with the same
 *       indexes deferred) and dropped afterwards, and changes nothing in the live one, so it needs
 *       no lock and may run beside a projecting orchestrator.
 * </ul>
 *
 * It knows no projection by name. One per run; not thread-safe.
 */
public final class Rebuild {
  private final Database db;
  private final Function<Database, List<Projection>> projections;
  private final Function<String, EventFeed> feeds;
  private final int batchSize;
  private final Consumer<String> progress;

  /** Another process holds the projector's leader lock. */
  public static final class ProjectorBusyException extends MeshException {
    ProjectorBusyException(String message) {
      super(ErrorCode.UNAVAILABLE, message);
    }
  }

  /** One table compared: before (or live) and after (or rebuilt). */
  public record TableResult(
      String table, long rowsBefore, long rowsAfter, String hashBefore, String hashAfter) {
    public boolean equal() {
      return rowsBefore == rowsAfter && hashBefore.equals(hashAfter);
    }
  }

  /**
   * What a rebuild found.
   *
   * @param checkpoint C: the events 1..C were projected
   * @param logCompared {@code event_log} was compared up to this sequence (its checkpoint at the
   *     start, which may lag C by a few batches)
   * @param projectNanos time spent projecting, the deferred indexes' builds included (the hashes
   *     not)
   * @param scratchSchema where {@code --verify} projected (dropped since), or null
   */
  public record Report(
      long checkpoint,
      long logCompared,
      long projectNanos,
      @Nullable String scratchSchema,
      List<TableResult> tables) {
    public boolean equal() {
      return tables.stream().allMatch(TableResult::equal);
    }

    /** The tables that differ. */
    public List<String> different() {
      return tables.stream().filter(t -> !t.equal()).map(TableResult::table).toList();
    }
  }

  /**
   * @param db the live database
   * @param projections every module's projection, writing through a given database
   * @param feeds a consumer of the event stream under a given durable name
   * @param progress receives the progress lines (about one a second)
   */
  public Rebuild(
      Database db,
      Function<Database, List<Projection>> projections,
      Function<String, EventFeed> feeds,
      int batchSize,
      Consumer<String> progress) {
    this.db = requireNonNull(db, "null db");
    this.projections = requireNonNull(projections, "null projections");
    this.feeds = requireNonNull(feeds, "null feeds");
    this.batchSize = batchSize;
    this.progress = requireNonNull(progress, "null progress");
  }

  /**
   * Replaces the live read models by a rebuild.
   *
   * @throws ProjectorBusyException when an orchestrator still projects after {@code lockWait}
   */
  public Report replace(Duration lockWait) throws InterruptedException {
    EventFeed feed = feeds.apply("jetmesh-rebuild");
    LeaderLock lock = new LeaderLock(db, feed.stream());
    try {
      acquire(lock, feed.stream(), lockWait);
      // Indexes an earlier rebuild left dropped come back first: a migration may change them.
      // Projections are built for that only if there are any, as building them reads tables that
      // the migrations make.
      if (DeferredIndexes.recorded(db) > 0) {
        DeferredIndexes.restore(
            db,
            tables(projections.apply(db)),
            line -> progress.accept("rebuild: an earlier rebuild stopped half way: " + line));
      }
      // Under the lock, as an orchestrator that finds it free migrates when it starts: the tables
      // are then those this version projects.
      db.migrate();
      Checkpoints.ensureRows(db);
      List<Projection> ps = projections.apply(db);
      List<TableSpec> tables = tables(ps);
      checkDeferrable(db, tables); // before the hashes, which take a while on a large database
      Snapshot before = ReadModelHash.take(db, tables, -1);
      inTransaction(db, c -> reset(c, tables));
      long nanos;
      try {
        nanos = new RebuildRun(db, ps, batchSize, progress).project(feed, before.main());
      } catch (RuntimeException | InterruptedException e) {
        // Interrupted too (a shutdown hook, a caller giving up): rather than leave the tables
        // without their indexes until the next leader. The interrupt goes on as the exception.
        restoreAfter(tables, e);
        throw e;
      }
      analyze(tables);
      Snapshot after = ReadModelHash.take(db, tables, before.logBound());
      return report(before, after, nanos, null);
    } catch (SQLException e) {
      throw new ProjectionWriteException("read model", e);
    } finally {
      lock.release();
      feed.remove();
    }
  }

  /**
   * Rebuilds into a scratch schema and compares it with the live tables, which it leaves as they
   * are; the schema is dropped in the end, also on failure.
   *
   * @param scratch connects to the database with the search path set to a given schema
   */
  public Report verify(Function<String, Database> scratch) throws InterruptedException {
    Snapshot live = ReadModelHash.take(db, tables(projections.apply(db)), -1);
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String schema = "rebuild_" + run;
    EventFeed feed = feeds.apply("jetmesh-rebuild-" + run);
    try (Database copy = scratch.apply(schema)) {
      copy.migrate();
      Checkpoints.ensureRows(copy);
      List<Projection> ps = projections.apply(copy);
      // As replace does, so that both measure the same work (and the definitions are tried).
      inTransaction(copy, c -> DeferredIndexes.drop(c, tables(ps)));
      long nanos = new RebuildRun(copy, ps, batchSize, progress).project(feed, live.main());
      Snapshot after = ReadModelHash.take(copy, tables(ps), live.logBound());
      return report(live, after, nanos, schema);
    } catch (SQLException e) {
      throw new ProjectionWriteException("scratch schema " + schema, e);
    } finally {
      try {
        feed.remove();
      } finally {
        drop(schema);
      }
    }
  }

  /** Every table the projections write, {@code event_log} included, each once. */
  static List<TableSpec> tables(List<Projection> projections) {
    List<TableSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Projection p : projections) {
      for (TableSpec t : p.tables()) {
        if (!names.add(t.name())) {
          throw new IllegalArgumentException("two projections declare table " + t.name());
        }
        out.add(t);
      }
    }
    out.add(EventLogWriter.TABLE);
    return out;
  }

  private static void acquire(LeaderLock lock, String stream, Duration wait)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!lock.tryLead()) {
      if (System.nanoTime() >= deadline) {
        throw new ProjectorBusyException(
            "an orchestrator is projecting stream "
                + stream
                + " into this database (it holds the projector lock): stop it, and any standby"
                + " orchestrator, then run rebuild again");
      }
      Thread.sleep(100);
    }
  }

  /** A rebuild's step that runs in one transaction. */
  @FunctionalInterface
  private interface InTransaction {
    void run(Connection c) throws SQLException;
  }

  private static void inTransaction(Database target, InTransaction work) throws SQLException {
    try (Connection c = target.rawConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Drops the deferred indexes, empties every table and resets both checkpoints (in the caller's
   * transaction: Postgres DDL is transactional, so all of it happens or none).
   */
  static void reset(Connection c, List<TableSpec> tables) throws SQLException {
    // First, so that TRUNCATE has fewer indexes to empty.
    DeferredIndexes.drop(c, tables);
    String names =
        tables.stream().map(t -> "\"" + t.name() + "\"").collect(Collectors.joining(", "));
    try (Statement s = c.createStatement()) {
      // No CASCADE: a table that references these and is not declared by a projection would be
      // emptied silently; better to fail and have it declared.
      s.execute("TRUNCATE " + names);
      s.execute(
          "UPDATE projection_checkpoint SET last_seq = 0, updated_at = now() WHERE name IN ('"
              + Checkpoints.MAIN
              + "', '"
              + EventLogWriter.NAME
              + "')");
    }
  }

  /**
   * Gathers the planner's statistics of every table it rebuilt, as after any bulk load: TRUNCATE
   * set each table's size to unknown, and the columns' statistics are those of the rows it removed,
   * or none where the table was never analysed. Until autovacuum's next pass (never, where it is
   * off) Postgres would guess, and a list by status, which reads a page per status with statistics,
   * could read and sort all of that status's rows ({@code TaskListPlanIT}). A failure is reported
   * and passed over: the read model is complete by then, and statistics only guide the planner.
   */
  private void analyze(List<TableSpec> tables) {
    long t0 = System.nanoTime();
    for (TableSpec t : tables) {
      try (Connection c = db.rawConnection();
          Statement s = c.createStatement()) {
        s.execute("ANALYZE \"" + t.name() + "\"");
      } catch (SQLException e) {
        progress.accept(
            "rebuild: ANALYZE of "
                + t.name()
                + " failed ("
                + e.getMessage()
                + "); run VACUUM ANALYZE on it");
      }
    }
    progress.accept(
        "rebuild: analysed "
            + tables.size()
            + " tables in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
            + " ms");
  }

  /** Fails, before anything changes, when a declared index cannot be deferred. */
  private static void checkDeferrable(Database target, List<TableSpec> tables) throws SQLException {
    try (Connection c = target.rawConnection()) {
      DeferredIndexes.declared(c, tables);
    }
  }

  /**
   * After a run that failed or was interrupted with Postgres still answering (a poison event, a
   * hole in the stream), creates the dropped indexes again rather than leave the tables without
   * them until the next orchestrator leads; if that fails too, the next one does it.
   */
  private void restoreAfter(List<TableSpec> tables, Exception failure) {
    try {
      DeferredIndexes.restore(db, tables, line -> progress.accept("rebuild: " + line));
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void drop(String schema) {
    try (Connection c = db.rawConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new ProjectionWriteException("scratch schema " + schema + " (drop it by hand)", e);
    }
  }

  private static Report report(
      Snapshot before, Snapshot after, long nanos, @Nullable String schema) {
    List<TableResult> rows = new ArrayList<>();
    for (var e : before.tables().entrySet()) {
      TableHash b = e.getValue();
      TableHash a = requireNonNull(after.tables().get(e.getKey()), "both hash the same tables");
      rows.add(new TableResult(e.getKey(), b.rows(), a.rows(), b.hash(), a.hash()));
    }
    return new Report(before.main(), before.logBound(), nanos, schema, rows);
  }
}
