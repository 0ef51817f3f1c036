package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.events.StoredEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code projection_checkpoint}: one per projection ({@value #MAIN}: every aggregate's
 * read model; {@value EventLogWriter#NAME}), each committed in the same transaction as the batch it
 * ends, so a batch is applied exactly once in effect. Stateless.
 */
public final class Checkpoints {
  /** The main projection: every module's read model. */
  public static final String MAIN = "main";

  private Checkpoints() {}

  /** The events a projection has not applied yet, above its (locked) checkpoint. */
  record Fresh(long checkpoint, List<StoredEvent> events) {}

  /**
   * Locks projection {@code name}'s checkpoint (until commit) and keeps the events above it.
   *
   * @throws GapException when they do not start right after it
   */
  static Fresh fresh(Connection c, String name, List<StoredEvent> events) {
    long last = lock(c, name);
    List<StoredEvent> fresh = new ArrayList<>(events.size());
    for (StoredEvent e : events) {
      if (e.seq() > last) {
        fresh.add(e);
      }
    }
    if (!fresh.isEmpty() && fresh.get(0).seq() != last + 1) {
      throw new GapException(last, fresh.get(0).seq());
    }
    return new Fresh(last, fresh);
  }

  /**
   * Reads the checkpoint and locks its row until commit. Also turns synchronous commit off for the
   * transaction (set_config(..., true) is SET LOCAL), in the same round trip: that is safe, since
   * the checkpoint commits with the batch and the consumer is repositioned from it at start, so a
   * commit lost to a database crash is simply projected again from the stream.
   */
  private static long lock(Connection c, String name) {
    try (PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT last_seq, set_config('synchronous_commit', 'off', true)
            FROM projection_checkpoint WHERE name = ? FOR UPDATE
            """)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no checkpoint row for projection " + name);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("projection_checkpoint", e);
    }
  }

  static void store(Connection c, String name, long last) {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE projection_checkpoint SET last_seq = ?, updated_at = now() WHERE name = ?")) {
      ps.setLong(1, last);
      ps.setString(2, name);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new ProjectionWriteException("projection_checkpoint", e);
    }
  }

  /** The main projection's checkpoint as stored in Postgres (0 before the first batch). */
  public static long main(Database db) {
    try (Connection c = db.rawConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT last_seq FROM projection_checkpoint WHERE name = ?")) {
      ps.setString(1, MAIN);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("projection_checkpoint", e);
    }
  }

  /** Every read model (the main projection and event_log) has the events up to this sequence. */
  public static long projectedThrough(Database db) {
    try (Connection c = db.rawConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(min(last_seq), 0) FROM projection_checkpoint"
                    + " WHERE name IN (?, ?)")) {
      ps.setString(1, MAIN);
      ps.setString(2, EventLogWriter.NAME);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new ProjectionWriteException("projection_checkpoint", e);
    }
  }

  /**
   * Creates both rows when missing. The event_log row starts at the main checkpoint: before
   * event_log had a projection of its own it was written with the main one, so an existing
   * database's log is complete up to the main checkpoint.
   */
  static void ensureRows(Database db) throws SQLException {
    try (Connection c = db.rawConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement main =
              c.prepareStatement(
                  "INSERT INTO projection_checkpoint (name, last_seq) VALUES (?, 0)"
                      + " ON CONFLICT (name) DO NOTHING");
          PreparedStatement log =
              c.prepareStatement(
                  """
                  INSERT INTO projection_checkpoint (name, last_seq)
                  SELECT ?, last_seq FROM projection_checkpoint WHERE name = ?
                  ON CONFLICT (name) DO NOTHING
                  """)) {
        main.setString(1, MAIN);
        main.executeUpdate();
        log.setString(1, EventLogWriter.NAME);
        log.setString(2, MAIN);
        log.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
