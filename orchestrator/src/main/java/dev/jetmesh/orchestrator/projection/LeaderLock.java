package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One projector per database and stream leads: it holds a session advisory lock on a connection of
 * its own; the others wait in standby. Ending the session (a crash included) releases it. Projector
 * thread only.
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
   * Gives the lock up and keeps running: a connection closed into the pool keeps its session, and
   * with it the lock, until the pool closes. For a holder that takes the lock for one step.
   */
  void unlock() {
    if (connection != null) {
      try (PreparedStatement ps =
          connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
        ps.setString(1, key);
        ps.execute();
      } catch (SQLException e) {
        LOG.warn("projector lock not given up (it goes with the connection): {}", e.toString());
      }
    }
    release();
  }

  void release() {
    if (connection != null) {
      try {
        connection.close(); // ends the session, which releases the advisory lock
      } catch (SQLException e) {
        LOG.debug("closing lock connection: {}", e.toString());
      }
      connection = null;
    }
  }
}
