package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One projector per database and stream leads: it holds a session advisory lock on a connection of
 * its own; the others wait in standby. A process that dies loses its sessions, and with them the
 * lock; one that lives on gives it up with {@link #release()}. Not thread-safe: each instance
 * belongs to one thread (a projector's, a rebuild's, or that of an orchestrator starting).
 */
final class LeaderLock {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLock.class);

  private final Database db;
  private final String key;
  private @Nullable Connection connection;

  LeaderLock(Database db, String stream) {
    this.db = db;
    this.key = "jetmesh-projector:" + stream;
  }

  /** True when this process holds the lock (now or already). */
  boolean tryLead() throws SQLException {
    if (connection == null) {
      connection = db.rawConnection();
    }
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * Gives the lock up, if held, and the connection too. The connection is pooled: closing it would
   * hand its session, and with it the lock, back to the pool, where it stays held until the process
   * exits (a halted projector would go on leading, and no standby would take over). So the lock is
   * released on the session first, and the connection taken out of the pool, which ends the session
   * should the unlock have failed.
   */
  void release() {
    Connection c = connection;
    if (c == null) {
      return;
    }
    connection = null;
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_unlock_all()"); // the session is this lock's alone
    } catch (SQLException e) {
      LOG.warn("projector lock not given up (it goes with the connection): {}", e.toString());
    } finally {
      db.evict(c); // closes it: closing it as well would return an evicted entry to the pool
    }
  }
}
