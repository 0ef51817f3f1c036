package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.schema.events.StoredEvent;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Projects the stream from sequence 1 up to a given sequence with the projector's own parts: the
 * {@link Fetcher} decoding ahead, {@link BatchTransaction} applying every batch to the registered
 * projections with the main checkpoint, the {@link EventLogWriter} writing {@code event_log} beside
 * it with its own; then creates the indexes the rebuild deferred ({@link DeferredIndexes}). Unlike
 * the {@link Projector} it has no leader, listeners, parking or retries: an event that cannot be
 * projected ends the run with the reason, and the checkpoints say how far it got. Reports progress
 * about once a second. One per run; its caller's thread.
 */
final class RebuildRun {
  private static final int READY_BATCHES = 8;
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Repositionings after lost deliveries that one run tolerates. */
  private static final int MAX_REPOSITIONS = 100;

  private final Database db;
  private final BatchTransaction batches;
  private final List<TableSpec> tables;
  private final int batchSize;
  private final Consumer<String> progress;
  private long nextReport;

  RebuildRun(Database db, List<Projection> projections, int batchSize, Consumer<String> progress) {
    this.db = db;
    this.batches = new BatchTransaction(db, projections);
    this.tables = Rebuild.tables(projections);
    this.batchSize = batchSize;
    this.progress = progress;
  }

  /**
   * Projects the events after both checkpoints (0 after a reset) up to {@code upTo}; returns the
   * nanoseconds it took.
   *
   * @throws ProjectorHaltedException when an event cannot be decoded or applied, or the stream does
   *     not hold every event up to {@code upTo}
   */
  long project(EventFeed feed, long upTo) throws InterruptedException {
    long from = Checkpoints.projectedThrough(db);
    long streamLast = feed.lastSequence();
    if (streamLast < upTo) {
      throw new ProjectorHaltedException(
          "stream " + feed.stream() + " ends at sequence " + streamLast + ", before " + upTo);
    }
    long t0 = System.nanoTime();
    EventLogWriter log =
        new EventLogWriter(
            db,
            new Watermark(),
            e -> false,
            (seq, subject, reason, raw) -> {
              throw new ProjectorHaltedException(
                  "event_log cannot store the event at sequence " + seq + ": " + reason);
            });
    long done = from;
    int repositions = 0;
    nextReport = t0 + PROGRESS_NANOS;
    try {
      while (done < upTo) {
        try (EventFeed.Subscription sub = feed.open(done)) {
          done = follow(feed, sub, done, from, upTo, t0, log);
        } catch (Reposition gap) {
          // As in the projector: a delivery lost on the way (the connection dropped with it on the
          // wire) makes the next batch start after it. Repositioning the consumer after what was
          // applied brings it back, unless the stream no longer has it.
          done = gap.after;
          if (feed.firstEventFrom(done + 1) != done + 1) {
            throw missing(done + 1, upTo);
          }
          if (++repositions > MAX_REPOSITIONS) {
            throw new ProjectorHaltedException(
                "the consumer skipped past events that the stream holds more than "
                    + MAX_REPOSITIONS
                    + " times (last after sequence "
                    + done
                    + "): NATS is losing deliveries; see its log");
          }
          progress.accept(
              "rebuild: the events after sequence "
                  + done
                  + " did not arrive; repositioning the consumer there");
        }
      }
    } finally {
      log.finish(true);
    }
    log.checkHealthy();
    long logged = Checkpoints.projectedThrough(db);
    if (logged < upTo) {
      throw new ProjectorHaltedException(
          "event_log reached sequence " + logged + " only, not " + upTo);
    }
    int indexes = createIndexesAgain();
    long nanos = System.nanoTime() - t0;
    progress.accept(
        String.format(
            Locale.ROOT,
            "rebuild: projected %,d events in %.1f s (%,.0f events/s%s)",
            upTo - from,
            nanos / 1e9,
            rate(upTo - from, nanos),
            indexes == 0 ? "" : ", building " + indexes + " deferred indexes included"));
    return nanos;
  }

  /**
   * Creates the indexes dropped for the run again; returns how many it created. Part of projecting,
   * and of its time: the rate is that of a read model ready to be read.
   */
  private int createIndexesAgain() {
    try {
      return DeferredIndexes.restore(db, tables, line -> progress.accept("rebuild: " + line));
    } catch (SQLException e) {
      throw new ProjectionWriteException("an index the rebuild deferred", e);
    }
  }

  /**
   * Fetches from {@code sub} (positioned after {@code done}) and applies until {@code upTo};
   * returns the last sequence applied.
   *
   * @throws Reposition when a batch skips past {@code done + 1}, or when no batch comes while the
   *     stream has the next event (a lost delivery of the last events: nothing newer shows the gap)
   */
  private long follow(
      EventFeed feed,
      EventFeed.Subscription sub,
      long done,
      long from,
      long upTo,
      long t0,
      EventLogWriter log)
      throws InterruptedException {
    BlockingQueue<FetchedBatch> ready = new ArrayBlockingQueue<>(READY_BATCHES);
    Watermark applied = new Watermark();
    applied.advance(done);
    Fetcher fetching = new Fetcher(sub, ready, Batching.of(batchSize), applied);
    Thread fetcher = Thread.ofPlatform().name("rebuild-fetch").daemon().start(fetching);
    StallWatch stall = new StallWatch(feed, applied, done, System.nanoTime());
    try {
      while (done < upTo) {
        log.checkHealthy();
        FetchedBatch f = ready.poll(200, TimeUnit.MILLISECONDS);
        if (f != null) {
          done = apply(f, done, upTo, log);
          applied.advance(done);
          stall.delivered(done, System.nanoTime());
        } else if (stall.stalled(System.nanoTime())) {
          throw new Reposition(done); // the caller checks that the stream still has done + 1
        }
        long now = System.nanoTime();
        if (now >= nextReport) {
          progress.accept(line(done - from, upTo - from, now - t0));
          nextReport = now + PROGRESS_NANOS;
        }
      }
      return done;
    } finally {
      fetching.stop();
      fetcher.interrupt();
      fetcher.join(5_000);
    }
  }

  /**
   * Applies the batch's events after {@code done} (a redelivery may repeat some) up to {@code
   * upTo}; returns the last one applied.
   */
  private long apply(FetchedBatch f, long done, long upTo, EventLogWriter log)
      throws InterruptedException {
    List<StoredEvent> good = f.good();
    int first = 0;
    while (first < good.size() && good.get(first).seq() <= done) {
      first++;
    }
    int end = first;
    long last = done;
    while (end < good.size() && last < upTo) {
      long seq = good.get(end).seq();
      if (seq != last + 1) {
        applyPrefix(f, first, end, last, log);
        throw new Reposition(last);
      }
      last = seq;
      end++;
    }
    applyPrefix(f, first, end, last, log);
    if (end == good.size() && last < upTo && f.poison() != null) {
      throw new ProjectorHaltedException(
          "cannot decode the event at sequence "
              + f.poison().seq()
              + " on "
              + f.poison().subject()
              + ": "
              + f.poisonReason());
    }
    return last;
  }

  /**
   * Applies {@code good[first, end)}, whose last event is {@code last}, and hands it to the log.
   */
  private void applyPrefix(FetchedBatch f, int first, int end, long last, EventLogWriter log)
      throws InterruptedException {
    if (end == first) {
      return;
    }
    List<StoredEvent> events = f.good().subList(first, end);
    try {
      batches.apply(events);
    } catch (RuntimeException e) {
      throw new ProjectorHaltedException(
          "cannot project events "
              + events.get(0).seq()
              + ".."
              + last
              + ": "
              + Parking.rootMessage(e));
    }
    log.submit(events, f.logRows(), f.deliveries().get(end - 1));
  }

  private static ProjectorHaltedException missing(long seq, long upTo) {
    return new ProjectorHaltedException(
        "the stream has no event " + seq + ": it does not hold every event up to " + upTo);
  }

  /** {@code done / total (pct), rate, ETA}. */
  static String line(long done, long total, long nanos) {
    double rate = rate(done, nanos);
    String eta = rate > 0 ? duration((long) ((total - done) / rate)) : "?";
    return String.format(
        Locale.ROOT,
        "rebuild: %,d / %,d events (%.1f%%), %,.0f events/s, ETA %s",
        done,
        total,
        total == 0 ? 100.0 : 100.0 * done / total,
        rate,
        eta);
  }

  private static double rate(long events, long nanos) {
    return nanos <= 0 ? 0 : events / (nanos / 1e9);
  }

  private static String duration(long seconds) {
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
        : seconds >= 60
            ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60)
            : seconds + " s";
  }
}
