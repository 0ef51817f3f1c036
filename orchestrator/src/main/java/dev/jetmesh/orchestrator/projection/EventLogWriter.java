package dev.jetmesh.orchestrator.projection;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.db.CopyRows;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.store.EventFeed.Delivery;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code event_log}, the projection of every event for SQL over history, as a projection of
 * its own: its own thread, connection, transactions and checkpoint ({@value #NAME} in {@code
 * projection_checkpoint}), a few batches at most behind the main projection (tasks, sessions,
 * plans) and in parallel with it, so the two use both of Postgres's cores instead of one after the
 * other.
 *
 * <p>The main projection hands over each batch after its own commit; this writer commits the rows
 * above its checkpoint, then acknowledges the batch's last message (ack-all), and only then raises
 * the {@link Watermark}: so an acknowledged event is in both projections, and the watermark means
 * "every read model has it". Its checkpoint is never ahead of the main one, and at start the
 * consumer is positioned after the lower of the two. The queue between them is short, so the main
 * projection waits rather than running ahead. An event it cannot write is parked in {@code
 * projection_poison} under {@value #NAME} and halts the projector, as in the main projection; a
 * hole in what it is handed is a {@link GapException}, so the projector repositions. One per run of
 * the projector's loop.
 */
final class EventLogWriter implements AutoCloseable {
  static final String NAME = "event_log";

  /**
   * The table, for a rebuild's comparison: no column is left out, since {@code occurred_at} is the
   * event's own time, not the time of the write. The writer only appends with COPY, so a rebuild
   * defers the index by aggregate, which history queries read.
   */
  static final TableSpec TABLE =
      TableSpec.of("event_log", "seq").deferringIndexes("event_log_aggregate");

  private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
  private static final int QUEUE = 4;
  private static final int DRAIN_SECONDS = 10;
  private static final String COLUMNS =
      "seq, event_id, type, aggregate, aggregate_id, occurred_at, actor, causation_id, payload";

  /** A batch to write; {@code ack} is acknowledged after commit; {@link #STOP} stops the writer. */
  private record Batch(List<StoredEvent> events, Map<Long, String> rows, @Nullable Delivery ack) {}

  private static final Batch STOP = new Batch(List.of(), Map.of(), null);

  /** Parks an event that cannot be written, under this projection's name, and throws. */
  @FunctionalInterface
  interface Parker {
    void park(long seq, String subject, String reason, String raw);
  }

  private final Database db;
  private final Watermark watermark;
  private final Predicate<Throwable> isTransient;
  private final Parker parker;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread thread;
  private volatile @Nullable RuntimeException failure;
  private volatile boolean stopped;
  private volatile boolean abandon;

  EventLogWriter(
      Database db, Watermark watermark, Predicate<Throwable> isTransient, Parker parker) {
    this.db = db;
    this.watermark = watermark;
    this.isTransient = isTransient;
    this.parker = parker;
    this.thread = Thread.ofPlatform().name("projector-log").daemon().start(this::run);
  }

  /**
   * Hands over a batch the main projection has committed, waiting while the queue is full.
   *
   * @throws ProjectorHaltedException when the writer has failed
   */
  void submit(List<StoredEvent> events, Map<Long, String> rows, Delivery ack)
      throws InterruptedException {
    while (!queue.offer(new Batch(events, rows, ack), 200, TimeUnit.MILLISECONDS)) {
      checkHealthy();
    }
    checkHealthy();
  }

  /**
   * @throws GapException when it was handed a hole (the projector repositions)
   * @throws ProjectorHaltedException when it has failed, or died
   */
  void checkHealthy() {
    RuntimeException f = failure;
    if (f instanceof ProjectorHaltedException h) {
      throw h;
    }
    if (f != null) {
      throw new ProjectorHaltedException("event_log writer failed: " + f);
    }
    if (!thread.isAlive() && !stopped) {
      throw new ProjectorHaltedException("event_log writer stopped unexpectedly");
    }
  }

  /**
   * Stops the writer. With {@code drain} (a halt or a reposition), what was handed over is written
   * first, for at most {@value #DRAIN_SECONDS} s; without (the projector is being stopped), what is
   * queued is dropped: it is neither logged nor acknowledged, so it comes again at the next start.
   */
  void finish(boolean drain) throws InterruptedException {
    if (!drain) {
      abandon = true;
      queue.clear();
      thread.interrupt(); // ends a retry's back-off
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    while (thread.isAlive()
        && System.nanoTime() < deadline
        && !queue.offer(STOP, 200, TimeUnit.MILLISECONDS)) {
      // still writing; it takes the stop once there is room
    }
    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    if (thread.isAlive()) {
      abandon = true;
      thread.interrupt();
      LOG.warn(
          "event_log writer did not finish within {} s; what it holds comes again", DRAIN_SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    finish(false);
  }

  @SuppressWarnings("ReferenceEquality") // STOP is a sentinel: only that instance stops the writer
  private void run() {
    try {
      while (true) {
        Batch b = queue.take();
        if (b == STOP || abandon) {
          stopped = true;
          return;
        }
        write(b);
      }
    } catch (InterruptedException e) {
      stopped = abandon;
    } catch (ProjectorHaltedException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      failure = new ProjectorHaltedException("event_log writer failed: " + e);
      LOG.error("event_log writer failed", e);
    }
  }

  private void write(Batch b) throws InterruptedException {
    Backoff backoff = new Backoff();
    while (true) {
      try {
        long last = writeOrPark(b);
        requireNonNull(b.ack(), "only STOP has no ack").ack();
        watermark.advance(last);
        return;
      } catch (RuntimeException e) {
        if (abandon || !isTransient.test(e)) {
          throw e;
        }
        LOG.warn(
            "database unavailable, retrying event_log in {} ms: {}",
            backoff.millis(),
            e.toString());
        backoff.pause();
      }
    }
  }

  /**
   * Writes the batch; if Postgres refuses it, writes its events one at a time, so that the good
   * ones commit and the one it refuses is parked (which halts the projector).
   */
  private long writeOrPark(Batch b) {
    try {
      return writeOnce(b.events(), b.rows());
    } catch (RuntimeException e) {
      if (isTransient.test(e) || e instanceof ProjectorHaltedException) {
        throw e;
      }
    }
    long last = 0;
    for (StoredEvent one : b.events()) {
      try {
        last = writeOnce(List.of(one), b.rows());
      } catch (RuntimeException e) {
        if (isTransient.test(e) || e instanceof ProjectorHaltedException) {
          throw e;
        }
        // What was written before it stays (unacknowledged: it comes again and is skipped).
        watermark.advance(last);
        parker.park(
            one.seq(),
            one.subject(),
            Parking.rootMessage(e),
            new String(EventCodec.encode(one.envelope()), StandardCharsets.UTF_8));
      }
    }
    return last;
  }

  /** Writes the events above the checkpoint in one transaction; returns the new checkpoint. */
  private long writeOnce(List<StoredEvent> events, Map<Long, String> rows) {
    return db.jdbi()
        .inTransaction(
            h -> {
              Connection c = h.getConnection();
              Checkpoints.Fresh f = Checkpoints.fresh(c, NAME, events);
              if (f.events().isEmpty()) {
                return f.checkpoint();
              }
              List<StoredEvent> fresh = f.events();
              // COPY, not INSERT: the rows are new by construction (only events above the
              // checkpoint, which commits in this same transaction, get here).
              CopyRows copy = new CopyRows();
              for (StoredEvent e : fresh) {
                String row = rows.get(e.seq());
                copy.rows(row != null ? row : row(e), 1);
              }
              try {
                copy.copyInto(c, "event_log", COLUMNS);
              } catch (SQLException e) {
                throw new ProjectionWriteException("event_log", e);
              }
              long newLast = fresh.get(fresh.size() - 1).seq();
              Checkpoints.store(c, NAME, newLast);
              return newLast;
            });
  }

  /** One {@code event_log} row in COPY text format (the fetcher renders them ahead). */
  static String row(StoredEvent e) {
    return row(e, null);
  }

  /**
   * {@link #row(StoredEvent)}, with the payload's JSON as stored in the stream when the caller has
   * it (the decoder's span), so that it is not encoded again; {@code payload} is JSON text, so the
   * {@code jsonb} column holds the same value either way.
   */
  static String row(StoredEvent e, @Nullable String payload) {
    Envelope env = e.envelope();
    return new CopyRows(512)
        .number(e.seq())
        .text(env.eventId().toString())
        .text(env.type())
        .text(env.aggregate())
        .text(env.aggregateId())
        .time(env.occurredAt())
        .text(env.actor())
        .text(env.causationId())
        .text(payload != null ? payload : payloadJson(env))
        .endRow()
        .rendered();
  }

  private static String payloadJson(Envelope env) {
    try {
      return Json.mapper().writeValueAsString(env.payload());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + env.type(), e);
    }
  }

  /**
   * Deletes {@code event_log} rows above its checkpoint, before it is written again from there:
   * rows committed without the checkpoint (by an older jetmesh, which wrote the log with the main
   * projection and had no checkpoint for it) would otherwise make the next COPY fail on their keys.
   * Only the projecting orchestrator calls this, when it takes the lead.
   */
  static void trimAboveCheckpoint(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM event_log WHERE seq > (SELECT last_seq FROM projection_checkpoint"
                + " WHERE name = ?)")) {
      ps.setString(1, NAME);
      int n = ps.executeUpdate();
      if (n > 0) {
        LOG.warn("deleted {} event_log rows above its checkpoint; they are written again", n);
      }
    }
  }
}
