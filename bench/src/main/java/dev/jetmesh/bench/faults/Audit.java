package dev.jetmesh.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares what was acknowledged ({@link Ledger}) with the stream, and the stream with the read
 * models: every acknowledged command's event in the stream once, every stream event in {@code
 * event_log} once with the same id, each task's events in an order a single decider allows (never
 * claimed while held, submitted or completed twice), the tasks table agreeing with the stream.
 * Stateless; one call reads everything afresh.
 */
final class Audit {
  /** One event as stored. */
  record Event(long seq, String eventId, String type, String aggregateId, JsonNode payload) {}

  /** The figures of one audit. */
  record Result(
      long acknowledged,
      long projected,
      long lost,
      long duplicated,
      long leftClaimed,
      long streamEvents,
      List<String> problems) {}

  private Audit() {}

  /** Every event of {@code stream}, in order. */
  static List<Event> readStream(Connection nc, String stream) {
    try {
      long last = nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
      List<Event> out = new ArrayList<>();
      if (last == 0) {
        return out;
      }
      JetStreamSubscription sub =
          nc.jetStream()
              .subscribe(
                  "mesh.evt.>",
                  PushSubscribeOptions.builder().stream(stream).ordered(true).build());
      try {
        long seq = 0;
        while (seq < last) {
          Message m = sub.nextMessage(Duration.ofSeconds(10));
          if (m == null) {
            throw new IllegalStateException("stream " + stream + " read stopped at " + seq);
          }
          seq = m.metaData().streamSequence();
          JsonNode e = Wire.JSON.readTree(m.getData());
          out.add(
              new Event(
                  seq,
                  e.path("event_id").asText(),
                  e.path("type").asText(),
                  e.path("aggregate_id").asText(),
                  e.path("payload")));
        }
      } finally {
        sub.unsubscribe();
      }
      return out;
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot read stream " + stream + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The lowest projector checkpoint: the read models are complete up to it. */
  static long projectedThrough(java.sql.Connection db) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT coalesce(min(last_seq), 0) FROM projection_checkpoint")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Audits the tasks named {@code <prefix>-…} against {@code ledger}, and the whole stream. */
  static Result run(List<Event> events, java.sql.Connection db, String prefix, Ledger ledger)
      throws SQLException {
    List<String> problems = new ArrayList<>();
    Map<Long, Event> bySeq = new HashMap<>();
    Set<String> ids = new HashSet<>();
    long dup = 0;
    for (Event e : events) {
      bySeq.put(e.seq(), e);
      if (!ids.add(e.eventId())) {
        dup++;
        problems.add("event id " + e.eventId() + " twice in the stream (seq " + e.seq() + ")");
      }
    }
    Map<Long, String> logged = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, event_id::text FROM event_log")) {
      while (rs.next()) {
        logged.put(rs.getLong(1), rs.getString(2));
      }
    }
    long unprojected = 0;
    for (Event e : events) {
      if (!e.eventId().equals(logged.get(e.seq()))) {
        unprojected++;
      }
    }
    if (unprojected > 0) {
      problems.add(unprojected + " stream events not in event_log");
    }
    if (logged.size() > events.size()) {
      dup += logged.size() - events.size();
      problems.add((logged.size() - events.size()) + " event_log rows the stream does not have");
    }
    TaskFold fold = TaskFold.of(events);
    // the row's tasks: its own, and those its claimers took over from earlier rows
    Set<String> mine = new HashSet<>(ledger.claimed.values());
    for (String t : fold.statuses().keySet()) {
      if (t.startsWith(prefix + "-")) {
        mine.add(t);
      }
    }
    for (String v : fold.violations()) {
      if (mine.contains(v.substring(0, v.indexOf(' ')))) {
        dup++;
        problems.add(v);
      }
    }
    List<String> holds =
        fold.doubleHolds().stream().filter(h -> h.startsWith(prefix + "-n")).toList();
    if (!holds.isEmpty()) {
      problems.add(
          holds.size()
              + " claims gave a node a second task while it held one, e.g. "
              + holds.get(0));
    }
    // Every acknowledged command has its event, projected.
    long found = 0;
    long projected = 0;
    List<Long> seqs = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String t : ledger.submitted) {
      note(seqs, missing, fold.seqOf(t, "task.submitted", -1), "submitted " + t);
    }
    for (Map.Entry<Long, String> c : ledger.claimed.entrySet()) {
      Event e = bySeq.get(c.getKey());
      boolean ok =
          e != null && e.type().equals("task.claimed") && e.aggregateId().equals(c.getValue());
      note(
          seqs,
          missing,
          ok ? c.getKey() : -1L,
          "claimed "
              + c.getValue()
              + " at "
              + c.getKey()
              + " (the stream has "
              + (e == null ? "nothing" : e.type() + " " + e.aggregateId())
              + ")");
    }
    for (String ts : ledger.started) {
      int at = ts.lastIndexOf('@');
      note(
          seqs,
          missing,
          fold.seqOf(ts.substring(0, at), "task.started", Long.parseLong(ts.substring(at + 1))),
          "started " + ts);
    }
    for (String t : ledger.completed) {
      note(seqs, missing, fold.seqOf(t, "task.completed", -1), "completed " + t);
    }
    if (!missing.isEmpty()) {
      problems.add(
          "missing from the stream, e.g. "
              + String.join(", ", missing.subList(0, Math.min(4, missing.size()))));
    }
    for (long seq : seqs) {
      if (seq > 0) {
        found++;
        Event e = bySeq.get(seq);
        if (e != null && e.eventId().equals(logged.get(seq))) {
          projected++;
        }
      }
    }
    long lost = seqs.size() - projected;
    if (seqs.size() - found > 0) {
      problems.add((seqs.size() - found) + " acknowledged commands have no event in the stream");
    }
    long left = readModel(db, mine, fold, problems);
    return new Result(seqs.size(), projected, lost, dup, left, events.size(), problems);
  }

  private static void note(List<Long> seqs, List<String> missing, long seq, String what) {
    seqs.add(seq);
    if (seq < 0) {
      missing.add(what);
    }
  }

  /**
   * Checks the tasks table against the fold for the row's tasks (its own, and those its claimers
   * took over from earlier rows); returns those still claimed or running.
   */
  private static long readModel(
      java.sql.Connection db, Set<String> mine, TaskFold fold, List<String> problems)
      throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (var ps = db.prepareStatement("SELECT task_id, status FROM tasks WHERE task_id = ANY(?)")) {
      ps.setArray(1, db.createArrayOf("text", mine.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    long left = 0;
    int mismatches = 0;
    for (String t : mine) {
      String status = fold.statuses().get(t);
      String row = rows.get(t);
      if (!java.util.Objects.equals(status, row) && mismatches++ < 3) {
        problems.add("task " + t + ": stream says " + status + ", read model " + row);
      }
      if ("claimed".equals(status) || "running".equals(status)) {
        if (left++ < 3) {
          problems.add("task " + t + " left " + status);
        }
      }
    }
    return left;
  }
}
