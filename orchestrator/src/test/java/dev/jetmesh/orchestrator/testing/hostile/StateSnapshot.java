package dev.jetmesh.orchestrator.testing.hostile;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.StreamState;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the attack must leave as it was: the stream's last sequence and its message count per
 * subject (one subject per aggregate), and a hash of every table of the database (every row, every
 * column: stricter than the read-model hash of {@code rebuild --verify}, which leaves out columns a
 * rebuild legitimately changes).
 *
 * @param checkpoints {@code projection_checkpoint}: name to last projected sequence
 */
record StateSnapshot(
    long lastSeq,
    Map<String, Long> subjects,
    Map<String, String> tables,
    Map<String, Long> checkpoints) {

  static StateSnapshot take(HostileTarget t, Connection nc) {
    try {
      StreamState s =
          nc.jetStreamManagement()
              .getStreamInfo(t.stream(), StreamInfoOptions.allSubjects())
              .getStreamState();
      Map<String, Long> subjects = new TreeMap<>();
      for (Subject x : s.getSubjects()) {
        subjects.put(x.getName(), x.getCount());
      }
      Map<String, String> tables = new TreeMap<>();
      Map<String, Long> checkpoints = new TreeMap<>();
      try (var c = DriverManager.getConnection(t.dbUrl(), t.dbUser(), t.dbPassword());
          Statement st = c.createStatement()) {
        List<String> names = new ArrayList<>();
        try (ResultSet rs =
            st.executeQuery(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
        for (String name : new TreeSet<>(names)) {
          String q = "\"" + name.replace("\"", "\"\"") + "\"";
          try (ResultSet rs =
              st.executeQuery(
                  "SELECT count(*), md5(coalesce(string_agg(md5(t::text), ',' ORDER BY"
                      + " md5(t::text)), '')) FROM "
                      + q
                      + " t")) {
            rs.next();
            tables.put(name, rs.getLong(1) + " rows " + rs.getString(2));
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT name, last_seq FROM projection_checkpoint")) {
          while (rs.next()) {
            checkpoints.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      return new StateSnapshot(s.getLastSequence(), subjects, tables, checkpoints);
    } catch (IOException | JetStreamApiException | SQLException e) {
      throw new IllegalStateException("cannot take a state snapshot: " + e, e);
    }
  }

  /** True when every projection has reached the stream's last event. */
  boolean projected() {
    return !checkpoints.isEmpty() && checkpoints.values().stream().allMatch(seq -> seq >= lastSeq);
  }

  /** What differs from {@code before}: one line per subject or table, empty when nothing. */
  List<String> changesSince(StateSnapshot before) {
    List<String> out = new ArrayList<>();
    if (lastSeq != before.lastSeq) {
      out.add("stream last sequence " + before.lastSeq + " -> " + lastSeq);
    }
    diff("subject", before.subjects, subjects, out);
    diff("table", before.tables, tables, out);
    return out;
  }

  private static <V> void diff(String what, Map<String, V> a, Map<String, V> b, List<String> out) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      V x = a.get(k);
      V y = b.get(k);
      if (x == null ? y != null : !x.equals(y)) {
        out.add(what + " " + k + ": " + x + " -> " + y);
      }
    }
  }
}
