package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Parks an event a projection cannot apply in {@code projection_poison}, with its reason and raw
 * bytes, and halts the projector: a poison event is never skipped. Stateless.
 */
final class Parking {
  private Parking() {}

  /**
   * Parks the event for projection {@code name}.
   *
   * @throws ProjectorHaltedException always, saying which event and why
   */
  static ProjectorHaltedException park(
      Database db, String name, long seq, String subject, String reason, String raw) {
    try (Connection c = db.rawConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                INSERT INTO projection_poison (name, seq, subject, reason, raw)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name, seq) DO UPDATE SET reason = excluded.reason,
                    parked_at = now()
                """)) {
      ps.setString(1, name);
      ps.setLong(2, seq);
      ps.setString(3, subject);
      ps.setString(4, reason);
      ps.setString(5, raw);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new ProjectionWriteException("projection_poison", e);
    }
    throw new ProjectorHaltedException(
        "poison event at stream sequence "
            + seq
            + " on "
            + subject
            + ": "
            + reason
            + " (parked in projection_poison"
            + (name.equals(Checkpoints.MAIN) ? "" : " for " + name)
            + "; the projector stops here)");
  }

  /** True for errors a retry may cure: Postgres unreachable, a serialization failure, shutdown. */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String st = s.getSQLState();
        return st.startsWith("08")
            || st.startsWith("40")
            || st.startsWith("53")
            || st.startsWith("57P");
      }
      if (t instanceof org.jdbi.v3.core.ConnectionException) {
        return true;
      }
    }
    return false;
  }

  /** The innermost cause's message: what a person needs to see of a poison event. */
  @SuppressWarnings("ReferenceEquality") // identity: a cause chain may end in a self-cause
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
