package dev.jetmesh.orchestrator.projection;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.store.EventFeed.Delivery;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the event stream into Postgres, exactly once in effect, through the registered {@link
 * Projection}s; it knows none of them by name.
 *
 * <ul>
 *   <li>One projector per database leads ({@link LeaderLock}); other replicas wait in standby and
 *       only follow the checkpoints.
 *   <li>Two projections, each with its checkpoint row ({@link Checkpoints}): {@value
 *       Checkpoints#MAIN} (every module's read model), applied on this thread ({@link
 *       BatchTransaction}), and {@code event_log}, written by an {@link EventLogWriter} beside it.
 *       A batch is acknowledged, and the {@link Watermark} raised, only after both commits; events
 *       at or below a projection's checkpoint (a redelivery after a crash) are skipped by it.
 *   <li>On start it positions the consumer after the lower checkpoint, and halts if the stream ends
 *       before the main checkpoint (the stream lost data) or a batch starts past checkpoint + 1
 *       twice in a row.
 *   <li>An event that cannot be decoded or applied is parked ({@link Parking}) and the projector
 *       halts; it is never skipped.
 * </ul>
 *
 * Runs on its own platform thread; {@link #state()} and {@link #haltReason()} may be read from any
 * thread.
 */
public final class Projector implements AutoCloseable {
  /** Decoded batches the fetcher may hold ready while one is applied. */
  private static final int READY_BATCHES = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Projector.class);

  /** Life cycle, as reported by /health. */
  public enum State {
    STARTING,
    STANDBY,
    RUNNING,
    HALTED,
    STOPPED
  }

  private final EventFeed feed;
  private final Database db;
  private final Watermark watermark;
  private final BatchTransaction batches;
  private final List<Projection> projections;
  private final LeaderLock lock;
  private final Batching batching;
  private final List<BatchListener> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile State state = State.STARTING;
  private volatile @Nullable String haltReason;
  private volatile boolean stopping;

  /** event_log's writer, for the current run of {@link #loop}; projector thread only. */
  private @Nullable EventLogWriter log;

  /**
   * @throws IllegalArgumentException unless every kind of event has exactly one projection
   */
  public Projector(
      EventFeed feed,
      Database db,
      Watermark watermark,
      List<Projection> projections,
      Batching batching) {
    this.feed = feed;
    this.db = db;
    this.watermark = watermark;
    this.projections = List.copyOf(projections);
    this.batches = new BatchTransaction(db, projections);
    this.lock = new LeaderLock(db, feed.stream());
    this.batching = batching;
    this.thread = Thread.ofPlatform().name("projector").daemon().unstarted(this::run);
  }

  /** Reactions hook in here: called on this thread after each committed batch. */
  public void addListener(BatchListener l) {
    listeners.add(l);
  }

  public void start() {
    thread.start();
  }

  public State state() {
    return state;
  }

  public @Nullable String haltReason() {
    return haltReason;
  }

  /** The main projection's checkpoint as stored in Postgres. */
  public long checkpoint() {
    return Checkpoints.main(db);
  }

  private void run() {
    try {
      Checkpoints.ensureRows(db);
      while (!stopping && !lock.tryLead()) {
        state = State.STANDBY;
        watermark.advance(Checkpoints.projectedThrough(db));
        Thread.sleep(200);
      }
      if (stopping) {
        return;
      }
      DeferredIndexes.restoreAtTakeover(db, projections, () -> stopping);
      try (Connection c = db.rawConnection()) {
        EventLogWriter.trimAboveCheckpoint(c);
      }
      long checkpoint = checkpoint();
      long from = Checkpoints.projectedThrough(db);
      watermark.advance(from);
      for (Projection p : projections) {
        p.lead(checkpoint);
      }
      state = State.RUNNING;
      LOG.info("projector running from checkpoint {} (event_log from {})", checkpoint, from);
      lead(checkpoint, from);
    } catch (ProjectorHaltedException e) {
      halt(e.getMessage());
    } catch (RuntimeException | SQLException e) {
      if (!stopping) {
        halt("projector failed: " + e);
        LOG.error("projector failed", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      projections.forEach(Projection::stop);
      if (state != State.HALTED) {
        state = State.STOPPED;
      }
      lock.release();
    }
  }

  /** Projects until stopped, repositioning once per gap; a gap right after one halts. */
  private void lead(long checkpoint, long from) throws InterruptedException {
    long gapAt = -1;
    while (!stopping) {
      try (EventFeed.Subscription sub = position(checkpoint, from)) {
        loop(sub, from); // the subscription is closed before a catch below repositions
      } catch (Reposition e) {
        gapAt = -1; // the stream has the event: whatever comes next is no proof of a hole
        checkpoint = checkpoint();
        from = Checkpoints.projectedThrough(db);
        LOG.warn("consumer held back event {} that the stream has: repositioning it", e.after + 1);
      } catch (GapException e) {
        if (e.checkpoint == gapAt) {
          throw e; // the same gap right after repositioning: the stream has a hole
        }
        gapAt = e.checkpoint;
        checkpoint = checkpoint();
        from = Checkpoints.projectedThrough(db);
        LOG.warn(
            "consumer skipped past checkpoint {}: repositioning it (nothing was applied or"
                + " acknowledged past the checkpoint)",
            checkpoint);
      }
    }
  }

  /**
   * Fetching and decoding overlaps with applying: a fetcher thread hands over up to {@value
   * #READY_BATCHES} decoded batches, which this thread applies together when several are waiting.
   * Applying, acknowledging and parking stay on this thread, in stream order.
   */
  private void loop(EventFeed.Subscription sub, long after) throws InterruptedException {
    BlockingQueue<FetchedBatch> ready = new ArrayBlockingQueue<>(READY_BATCHES);
    Fetcher fetching = new Fetcher(sub, ready, batching, watermark);
    Thread fetcher = Thread.ofPlatform().name("projector-fetch").daemon().start(fetching);
    log =
        new EventLogWriter(
            db,
            watermark,
            Parking::isTransient,
            (seq, subject, reason, raw) -> {
              throw Parking.park(db, EventLogWriter.NAME, seq, subject, reason, raw);
            });
    StallWatch stall = new StallWatch(feed, watermark, after, System.nanoTime());
    try {
      while (!stopping) {
        log.checkHealthy();
        FetchedBatch f = ready.poll(200, TimeUnit.MILLISECONDS);
        // Fetches that arrived while the last batch was being applied are applied together: the
        // batch grows with the load (a transaction's fixed cost is paid once for all of them),
        // and stays as small as what arrived when the projector keeps up.
        FetchedBatch more;
        while (f != null
            && f.poison() == null
            && f.deliveries().size() < batching.size()
            && (more = ready.poll()) != null) {
          f = f.then(more);
        }
        if (f != null) {
          process(f);
          stall.delivered(f.deliveries().get(f.deliveries().size() - 1).seq(), System.nanoTime());
        } else if (stall.stalled(System.nanoTime())) {
          throw new Reposition(stall.next() - 1);
        }
      }
    } finally {
      fetching.stop();
      fetcher.interrupt();
      fetcher.join(5_000);
      // What the main projection committed is logged and acknowledged before a halt or a
      // reposition; on a stop it is left to the next start, which finds it below the checkpoint.
      log.finish(!stopping);
    }
  }

  /** Applies and acknowledges one decoded batch; parks and halts at a poison event. */
  private void process(FetchedBatch f) throws InterruptedException {
    List<StoredEvent> good = f.good();
    // Stream sequences under mesh.evt.> are contiguous; a jump inside a batch means a hole (or a
    // delivery hiccup). Apply the contiguous prefix, then treat the jump like any other gap.
    int k = 1;
    while (k < good.size() && good.get(k).seq() == good.get(k - 1).seq() + 1) {
      k++;
    }
    if (!good.isEmpty()) {
      applyWithRetry(good.subList(0, k), f.deliveries().subList(0, k), f.logRows());
      if (k < good.size()) {
        throw new GapException(good.get(k - 1).seq(), good.get(k).seq());
      }
    }
    if (f.poison() != null) {
      Delivery p = f.poison();
      throw Parking.park(
          db,
          Checkpoints.MAIN,
          p.seq(),
          p.subject(),
          requireNonNull(f.poisonReason(), "a poison event has its reason"),
          new String(p.data(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Applies {@code events} to the main projection, then hands them to the event log writer, which
   * acknowledges the last of {@code deliveries} (the events' own, in the same order) after its own
   * commit. A transient failure is retried with back-off; any other isolates the culprit.
   */
  private void applyWithRetry(
      List<StoredEvent> events, List<Delivery> deliveries, Map<Long, String> logRows)
      throws InterruptedException {
    Backoff backoff = new Backoff();
    while (true) {
      try {
        batches.apply(events);
        requireNonNull(log, "set by loop, which applies")
            .submit(events, logRows, deliveries.get(deliveries.size() - 1));
        notifyListeners(events);
        return;
      } catch (RuntimeException e) {
        if (Parking.isTransient(e) && !stopping) {
          LOG.warn(
              "database unavailable, retrying batch in {} ms: {}", backoff.millis(), e.toString());
          // The commit may have happened before the connection failed, in which case the retry
          // finds the events already applied and skips them: what projections keep in memory of
          // the batch cannot be trusted.
          projections.forEach(Projection::distrust);
          backoff.pause();
          continue;
        }
        if (e instanceof ProjectorHaltedException h) {
          throw h;
        }
        if (events.size() == 1) {
          StoredEvent bad = events.get(0);
          throw Parking.park(
              db,
              Checkpoints.MAIN,
              bad.seq(),
              bad.subject(),
              Parking.rootMessage(e),
              new String(EventCodec.encode(bad.envelope()), StandardCharsets.UTF_8));
        }
        // Find the culprit: apply one by one; the good ones commit, the bad one is parked.
        for (int i = 0; i < events.size(); i++) {
          applyWithRetry(List.of(events.get(i)), List.of(deliveries.get(i)), logRows);
        }
        return;
      }
    }
  }

  private void notifyListeners(List<StoredEvent> events) {
    for (BatchListener l : listeners) {
      try {
        l.afterCommit(events);
      } catch (RuntimeException e) {
        LOG.warn("batch listener failed: {}", e.toString(), e);
      }
    }
  }

  /**
   * Positions the consumer after {@code from}, the lower of the two projections' checkpoints (each
   * skips what it already has), having checked that the stream reaches {@code checkpoint}.
   */
  private EventFeed.Subscription position(long checkpoint, long from) {
    long streamLast = feed.lastSequence();
    if (streamLast < checkpoint) {
      throw new ProjectorHaltedException(
          "stream "
              + feed.stream()
              + " ends at sequence "
              + streamLast
              + " but the read model has projected up to "
              + checkpoint
              + ": the stream lost events. Refusing to project; see docs/operations.md");
    }
    return feed.open(from);
  }

  private void halt(String reason) {
    haltReason = reason;
    state = State.HALTED;
    LOG.error("PROJECTOR HALTED: {}", reason);
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(10_000);
  }
}
