package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.collab.CollabProjector;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.plan.PlanProjector;
import dev.jetmesh.orchestrator.task.ClaimIndex;
import dev.jetmesh.orchestrator.task.TaskProjector;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the event stream into Postgres, exactly once in effect.
 *
 * <ul>
 *   <li>One projector per database is active: it holds a session advisory lock; other replicas wait
 *       in standby and only follow the checkpoints.
 *   <li>Two projections, each with its checkpoint row in {@code projection_checkpoint}: {@value
 *       #NAME} (tasks, attempts, node_active, sessions, plans), applied on this thread, and {@code
 *       event_log}, written by an {@link EventLogWriter} beside it. Each batch is applied in one
 *       transaction per projection that also advances its checkpoint; it is acknowledged, and the
 *       {@link Watermark} raised, only after both commits; events at or below a projection's
 *       checkpoint (a redelivery after a crash) are skipped by it.
 *   <li>On start it positions the durable consumer after the lower checkpoint, and halts if the
 *       stream ends before the main checkpoint (the stream lost data) or a batch starts past
 *       checkpoint + 1 twice in a row.
 *   <li>An event that cannot be decoded or applied is parked in {@code projection_poison} with its
 *       reason (under the projection that refused it) and the projector halts; it is never skipped.
 *   <li>While it runs it keeps the {@link ClaimIndex} in step with the committed tasks.
 * </ul>
 *
 * Runs on its own platform thread; {@link #state()} and {@link #haltReason()} may be read from any
 * thread.
 */
public final class Projector implements AutoCloseable {
  public static final String NAME = "main";

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

  private final io.nats.client.Connection nc;
  private final String stream;
  private final String durable;
  private final Database db;
  private final Watermark watermark;
  private final ClaimIndex claimIndex;
  private boolean reloadClaimIndex;

  /** event_log's writer, for the current run of {@link #loop}; projector thread only. */
  private @Nullable EventLogWriter log;

  private final int batchSize;
  private final List<BatchListener> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile State state = State.STARTING;
  private volatile @Nullable String haltReason;
  private volatile boolean stopping;
  private java.sql.@Nullable Connection lockConnection;

  /**
   * Tasks as this projector last committed them. While it holds the leader lock it is the only
   * writer of {@code tasks}, so these save reading rows back; entries are added only after commit.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, dev.jetmesh.schema.model.Task>
      committedTasks =
          com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(200_000).build();

  public Projector(
      io.nats.client.Connection nc,
      String stream,
      Database db,
      Watermark watermark,
      ClaimIndex claimIndex,
      int batchSize) {
    this.nc = nc;
    this.claimIndex = claimIndex;
    this.stream = stream;
    this.durable = "jetmesh-projector";
    this.db = db;
    this.watermark = watermark;
    this.batchSize = batchSize;
    this.thread = Thread.ofPlatform().name("projector").daemon().unstarted(this::run);
  }

  /** A task as this projector last committed it, or null when it is not held in memory. */
  public dev.jetmesh.schema.model.@Nullable Task committedTask(String taskId) {
    return committedTasks.getIfPresent(taskId);
  }

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

  /**
   * Whether a queued task may be waiting on dependencies: read when this projector takes the lead,
   * raised for good when a task with dependencies is submitted. While it is down, completions need
   * no dependency recount (there is nothing to recount).
   */
  private final AtomicBoolean dependencyWaiters = new AtomicBoolean(true);

  private boolean anyTaskWaitsOnDependencies() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM tasks WHERE status = 'queued'"
                            + " AND deps_pending > 0)")
                    .mapTo(Boolean.class)
                    .one());
  }

  /** Every read model (the main projection and event_log) has the events up to this sequence. */
  private long projectedThrough() {
    try (Connection c = db.rawConnection()) {
      return EventLogWriter.projectedThrough(c);
    } catch (SQLException e) {
      throw new TaskProjector.ProjectionWriteException("projection_checkpoint", e);
    }
  }

  /** The main projection's checkpoint as stored in Postgres. */
  public long checkpoint() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT last_seq FROM projection_checkpoint WHERE name = :n")
                    .bind("n", NAME)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(0L));
  }

  private void run() {
    try {
      ensureCheckpointRow();
      while (!stopping && !tryLead()) {
        state = State.STANDBY;
        watermark.advance(projectedThrough());
        sleep(200);
      }
      if (stopping) {
        return;
      }
      try (Connection c = db.rawConnection()) {
        EventLogWriter.trimAboveCheckpoint(c);
      }
      long checkpoint = checkpoint();
      long from = projectedThrough();
      watermark.advance(from);
      dependencyWaiters.set(anyTaskWaitsOnDependencies());
      claimIndex.load(db, checkpoint);
      state = State.RUNNING;
      LOG.info("projector running from checkpoint {} (event_log from {})", checkpoint, from);
      long gapAt = -1;
      while (!stopping) {
        try {
          loop(position(checkpoint, from));
        } catch (GapException e) {
          if (e.checkpoint == gapAt) {
            throw e; // the same gap right after repositioning: the stream has a hole
          }
          gapAt = e.checkpoint;
          checkpoint = checkpoint();
          from = projectedThrough();
          LOG.warn(
              "consumer skipped past checkpoint {}: repositioning it (nothing was applied or"
                  + " acknowledged past the checkpoint)",
              checkpoint);
        }
      }
    } catch (ProjectorHaltedException e) {
      halt(e.getMessage());
    } catch (RuntimeException | IOException | JetStreamApiException | SQLException e) {
      if (!stopping) {
        halt("projector failed: " + e);
        LOG.error("projector failed", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      claimIndex.disable();
      if (state != State.HALTED) {
        state = State.STOPPED;
      }
      releaseLead();
    }
  }

  /**
   * The consumer delivered an event past checkpoint + 1. Usually a delivery hiccup (a message that
   * arrived for a pull the client had already finished), which repositioning the consumer cures; if
   * it persists right after repositioning, the stream itself has a hole and the projector halts.
   */
  static final class GapException extends ProjectorHaltedException {
    final long checkpoint;

    GapException(long checkpoint, long next) {
      super(
          "gap in the event stream: checkpoint is "
              + checkpoint
              + " but the next event is "
              + next
              + ", also after repositioning the consumer");
      this.checkpoint = checkpoint;
    }
  }

  /** A fetched batch, decoded up to the first event that cannot be decoded (if any). */
  private record Fetched(
      List<Message> msgs,
      List<StoredEvent> good,
      Map<Long, String> logRows,
      @Nullable Message poison,
      @Nullable String poisonReason) {

    /** This batch followed by {@code next}; this one must have no poison event. */
    Fetched then(Fetched next) {
      List<Message> m = new ArrayList<>(msgs.size() + next.msgs.size());
      m.addAll(msgs);
      m.addAll(next.msgs);
      List<StoredEvent> g = new ArrayList<>(good.size() + next.good.size());
      g.addAll(good);
      g.addAll(next.good);
      Map<Long, String> rows = new HashMap<>(logRows);
      rows.putAll(next.logRows);
      return new Fetched(m, g, rows, next.poison, next.poisonReason);
    }
  }

  /**
   * Fetching and decoding (and rendering {@code event_log} rows) overlaps with applying: a fetcher
   * thread hands over up to {@value #READY_BATCHES} decoded batches, which this thread applies
   * together when several are waiting. Applying, acknowledging and parking stay on this thread, in
   * stream order.
   */
  private void loop(ConsumerContext consumer) throws InterruptedException {
    BlockingQueue<Fetched> ready = new ArrayBlockingQueue<>(READY_BATCHES);
    Thread fetcher =
        Thread.ofPlatform()
            .name("projector-fetch")
            .daemon()
            .start(() -> fetchLoop(consumer, ready));
    log =
        new EventLogWriter(
            db,
            watermark,
            Projector::isTransient,
            (seq, subject, reason, raw) -> park(EventLogWriter.NAME, seq, subject, reason, raw));
    try {
      while (!stopping) {
        log.checkHealthy();
        Fetched f = ready.poll(200, TimeUnit.MILLISECONDS);
        // Fetches that arrived while the last batch was being applied are applied together: the
        // batch grows with the load (a transaction's fixed cost is paid once for all of them),
        // and stays as small as what arrived when the projector keeps up.
        Fetched more;
        while (f != null
            && f.poison() == null
            && f.msgs().size() < batchSize
            && (more = ready.poll()) != null) {
          f = f.then(more);
        }
        if (f != null) {
          process(f);
        }
      }
    } finally {
      fetcher.interrupt();
      fetcher.join(5_000);
      // What the main projection committed is logged and acknowledged before a halt or a
      // reposition; on a stop it is left to the next start, which finds it below the checkpoint.
      log.finish(!stopping);
    }
  }

  private void fetchLoop(ConsumerContext consumer, BlockingQueue<Fetched> ready) {
    FetchConsumeOptions opts =
        FetchConsumeOptions.builder().maxMessages(batchSize).noWaitExpiresIn(1000).build();
    try {
      while (!stopping && !Thread.currentThread().isInterrupted()) {
        List<Message> msgs = new ArrayList<>(batchSize);
        try (FetchConsumer fc = consumer.fetch(opts)) {
          Message m;
          while ((m = fc.nextMessage()) != null) {
            msgs.add(m);
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          if (stopping) {
            return;
          }
          LOG.warn("fetch failed, retrying: {}", e.toString());
          Thread.sleep(500);
          continue;
        }
        if (msgs.isEmpty()) {
          continue;
        }
        Fetched f = decode(msgs);
        ready.put(f);
        if (f.poison() != null) {
          return; // the projector halts at the poison event: nothing after it is fetched
        }
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }

  /**
   * Decodes a batch, and renders each event's {@code event_log} row, which needs nothing but the
   * event: work done here overlaps with the applying of the batch before.
   */
  private static Fetched decode(List<Message> msgs) {
    List<StoredEvent> good = new ArrayList<>(msgs.size());
    Map<Long, String> logRows = new HashMap<>(msgs.size() * 2);
    for (Message m : msgs) {
      long seq = m.metaData().streamSequence();
      try {
        StoredEvent e = new StoredEvent(seq, m.getSubject(), EventCodec.decode(m.getData()));
        good.add(e);
        logRows.put(seq, EventLogWriter.row(e));
      } catch (EventCodec.UndecodableEventException e) {
        return new Fetched(msgs, good, logRows, m, e.getMessage());
      }
    }
    return new Fetched(msgs, good, logRows, null, null);
  }

  /** Applies and acknowledges one decoded batch; parks and halts at a poison event. */
  private void process(Fetched f) throws InterruptedException {
    List<StoredEvent> good = f.good();
    // Stream sequences under mesh.evt.> are contiguous; a jump inside a batch means a hole (or a
    // delivery hiccup). Apply the contiguous prefix, then treat the jump like any other gap.
    int k = 1;
    while (k < good.size() && good.get(k).seq() == good.get(k - 1).seq() + 1) {
      k++;
    }
    if (!good.isEmpty()) {
      applyWithRetry(good.subList(0, k), f.msgs().subList(0, k), f.logRows());
      if (k < good.size()) {
        throw new GapException(good.get(k - 1).seq(), good.get(k).seq());
      }
    }
    if (f.poison() != null) {
      park(
          f.poison().metaData().streamSequence(),
          f.poison().getSubject(),
          Objects.requireNonNull(f.poisonReason()),
          new String(f.poison().getData(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Applies {@code events} to the main projection, then hands them to the event log writer, which
   * acknowledges the last of {@code msgs} (the events' messages, in the same order) after its own
   * commit.
   */
  private void applyWithRetry(
      List<StoredEvent> events, List<Message> msgs, Map<Long, String> logRows)
      throws InterruptedException {
    long backoff = 100;
    while (true) {
      try {
        apply(events);
        Objects.requireNonNull(log).submit(events, logRows, msgs.get(msgs.size() - 1));
        for (BatchListener l : listeners) {
          try {
            l.afterCommit(events);
          } catch (RuntimeException e) {
            LOG.warn("batch listener failed: {}", e.toString(), e);
          }
        }
        return;
      } catch (RuntimeException e) {
        if (isTransient(e) && !stopping) {
          LOG.warn("database unavailable, retrying batch in {} ms: {}", backoff, e.toString());
          // The commit may have happened before the connection failed, in which case the retry
          // finds the events already applied and skips them: what was kept in memory from the
          // batch cannot be trusted, so read it back from the database.
          committedTasks.invalidateAll();
          claimIndex.disable();
          reloadClaimIndex = true;
          sleep(backoff);
          backoff = Math.min(backoff * 2, 5_000);
          continue;
        }
        if (e instanceof ProjectorHaltedException h) {
          throw h;
        }
        if (events.size() == 1) {
          StoredEvent bad = events.get(0);
          park(
              bad.seq(),
              bad.subject(),
              rootMessage(e),
              new String(EventCodec.encode(bad.envelope()), StandardCharsets.UTF_8));
        }
        // Find the culprit: apply one by one; the good ones commit, the bad one is parked.
        for (int i = 0; i < events.size(); i++) {
          applyWithRetry(List.of(events.get(i)), List.of(msgs.get(i)), logRows);
        }
        return;
      }
    }
  }

  /** Applies events above the checkpoint in one transaction; returns the new checkpoint. */
  private long apply(List<StoredEvent> events) {
    if (reloadClaimIndex) {
      reloadClaimIndex();
    }
    TaskProjector tasks = new TaskProjector(committedTasks::getIfPresent, dependencyWaiters);
    long last = applyIn(events, tasks);
    committedTasks.putAll(tasks.states());
    try {
      claimIndex.apply(tasks, last);
    } catch (RuntimeException e) {
      // The index disagrees with the batch: claims use the read model until it is reloaded.
      LOG.warn("claim index out of step, reloading it: {}", e.toString());
      claimIndex.disable();
      reloadClaimIndex = true;
    }
    return last;
  }

  /**
   * Reloads the claim index from the read model (at the checkpoint: nothing else writes it). On
   * failure, claims keep using the read model and the next batch tries again; a failure here never
   * counts against the batch.
   */
  private void reloadClaimIndex() {
    try {
      claimIndex.load(db, checkpoint());
      reloadClaimIndex = false;
    } catch (RuntimeException e) {
      LOG.warn("claim index not reloaded, claims use the read model meanwhile: {}", e.toString());
    }
  }

  private long applyIn(List<StoredEvent> events, TaskProjector tasks) {
    return db.jdbi()
        .inTransaction(
            h -> {
              Connection c = h.getConnection();
              Fresh f = fresh(c, NAME, events);
              if (f.events().isEmpty()) {
                return f.checkpoint();
              }
              List<StoredEvent> fresh = f.events();
              CollabProjector collab = new CollabProjector();
              PlanProjector plans = new PlanProjector();
              for (StoredEvent e : fresh) {
                switch (e.event()) {
                  case TaskEvent t -> tasks.add(e);
                  case CollabEvent ce -> collab.add(e);
                  case PlanEvent p -> plans.add(e);
                }
              }
              tasks.flush(h);
              collab.flush(h);
              plans.flush(h);
              long newLast = fresh.get(fresh.size() - 1).seq();
              storeCheckpoint(c, NAME, newLast);
              return newLast;
            });
  }

  /** The events a projection has not applied yet, above its (locked) checkpoint. */
  record Fresh(long checkpoint, List<StoredEvent> events) {}

  /**
   * Locks projection {@code name}'s checkpoint (until commit) and keeps the events above it.
   *
   * @throws GapException when they do not start right after it
   */
  static Fresh fresh(Connection c, String name, List<StoredEvent> events) {
    long last = lockCheckpoint(c, name);
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
  private static long lockCheckpoint(Connection c, String name) {
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(
            """
            SELECT last_seq, set_config('synchronous_commit', 'off', true)
            FROM projection_checkpoint WHERE name = ? FOR UPDATE
            """)) {
      ps.setString(1, name);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no checkpoint row for projection " + name);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new TaskProjector.ProjectionWriteException("projection_checkpoint", e);
    }
  }

  static void storeCheckpoint(Connection c, String name, long last) {
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(
            "UPDATE projection_checkpoint SET last_seq = ?, updated_at = now() WHERE name = ?")) {
      ps.setLong(1, last);
      ps.setString(2, name);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new TaskProjector.ProjectionWriteException("projection_checkpoint", e);
    }
  }

  private void park(long seq, String subject, String reason, String raw) {
    park(NAME, seq, subject, reason, raw);
  }

  /** Parks an event for projection {@code name} and halts (throws). */
  private void park(String name, long seq, String subject, String reason, String raw) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO projection_poison (name, seq, subject, reason, raw)
                        VALUES (:n, :seq, :subject, :reason, :raw)
                        ON CONFLICT (name, seq) DO UPDATE SET reason = excluded.reason,
                            parked_at = now()
                        """)
                    .bind("n", name)
                    .bind("seq", seq)
                    .bind("subject", subject)
                    .bind("reason", reason)
                    .bind("raw", raw)
                    .execute());
    throw new ProjectorHaltedException(
        "poison event at stream sequence "
            + seq
            + " on "
            + subject
            + ": "
            + reason
            + " (parked in projection_poison"
            + (name.equals(NAME) ? "" : " for " + name)
            + "; the projector stops here)");
  }

  /**
   * Positions the consumer after {@code from}, the lower of the two projections' checkpoints (each
   * skips what it already has), having checked that the stream reaches {@code checkpoint}.
   */
  private ConsumerContext position(long checkpoint, long from)
      throws IOException, JetStreamApiException {
    JetStreamManagement jsm = nc.jetStreamManagement();
    long streamLast = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
    if (streamLast < checkpoint) {
      throw new ProjectorHaltedException(
          "stream "
              + stream
              + " ends at sequence "
              + streamLast
              + " but the read model has projected up to "
              + checkpoint
              + ": the stream lost events. Refusing to project; see docs/operations.md");
    }
    ConsumerInfo existing = null;
    try {
      existing = jsm.getConsumerInfo(stream, durable);
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != 404) {
        throw e;
      }
    }
    if (existing != null) {
      // Always start the leader's consumer afresh after the checkpoints. Reusing it after a crash
      // would deliver newer events before the unacknowledged older ones come back (after the ack
      // wait), which would look like a gap; and a consumer acknowledged past the checkpoint (the
      // database was restored) would skip events.
      LOG.info(
          "repositioning consumer {} (ack floor {}) at {} + 1",
          durable,
          existing.getAckFloor() == null ? 0 : existing.getAckFloor().getStreamSequence(),
          from);
      jsm.deleteConsumer(stream, durable);
    }
    ConsumerConfiguration.Builder cc =
        ConsumerConfiguration.builder()
            .durable(durable)
            .filterSubject(Subjects.EVENTS_ALL)
            .ackPolicy(AckPolicy.All)
            .ackWait(Duration.ofSeconds(30))
            .maxAckPending(100_000)
            .maxBatch(10_000);
    if (from == 0) {
      cc.deliverPolicy(DeliverPolicy.All);
    } else {
      cc.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(from + 1);
    }
    return nc.getStreamContext(stream).createOrUpdateConsumer(cc.build());
  }

  private void ensureCheckpointRow() throws SQLException {
    db.jdbi()
        .useTransaction(
            h -> {
              h.createUpdate(
                      "INSERT INTO projection_checkpoint (name, last_seq) VALUES (:n, 0)"
                          + " ON CONFLICT (name) DO NOTHING")
                  .bind("n", NAME)
                  .execute();
              EventLogWriter.ensureCheckpointRow(h.getConnection());
            });
  }

  private boolean tryLead() throws SQLException {
    if (lockConnection == null) {
      lockConnection = db.rawConnection();
    }
    try (PreparedStatement ps =
        lockConnection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      ps.setString(1, "jetmesh-projector:" + stream);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void releaseLead() {
    if (lockConnection != null) {
      try {
        lockConnection.close(); // ends the session, which releases the advisory lock
      } catch (SQLException e) {
        LOG.debug("closing lock connection: {}", e.toString());
      }
      lockConnection = null;
    }
  }

  private void halt(String reason) {
    haltReason = reason;
    state = State.HALTED;
    LOG.error("PROJECTOR HALTED: {}", reason);
  }

  private static boolean isTransient(Throwable e) {
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

  @SuppressWarnings("ReferenceEquality") // identity: a cause chain may end in a self-cause
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private void sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(10_000);
  }
}
