package dev.jetmesh.bench;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.TaskSpec;
import io.nats.client.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Projector throughput beside a raw baseline measured in the same run, on the same stream and the
 * same Postgres server.
 *
 * <ol>
 *   <li>Fill: append task lifecycles (submitted, then claimed, started, completed) with {@link
 *       EventStore#append} from several threads, before any orchestrator runs.
 *   <li>Raw ({@link RawBaseline}): the same events read as the projector reads them (its consumer
 *       and subscription, batches of its size), inserted as raw rows (seq, subject, data jsonb)
 *       into a scratch table, one transaction per batch, acknowledging after commit. A warm-up pass
 *       runs first.
 *   <li>Projector: start the orchestrator on the filled stream and time until its watermark reaches
 *       the stream's last sequence.
 * </ol>
 */
final class ProjectorBench {
  private static final int FILL_THREADS = 8;
  // Warm-ups as long as a pass: with shorter ones (10,000 and 20,000 events) both sides' JVM CPU
  // still fell pass after pass (the projector's from 4.1 s to 1.2 s per 100,000 events): the
  // passes measured the JIT compiler.
  static final int RAW_WARMUP_EVENTS = 100_000;
  static final int PROJECTOR_WARMUP_EVENTS = 100_000;
  static final int RUNS = 5;

  private ProjectorBench() {}

  /** One measured pass of each: the raw baseline, then the projector. */
  record Run(
      long rawEvents,
      long rawNanos,
      String rawCpu,
      long projectedEvents,
      long projectorNanos,
      String projectorCpu) {
    double rawRate() {
      return rawEvents / (rawNanos / 1e9);
    }

    double projectorRate() {
      return projectedEvents / (projectorNanos / 1e9);
    }
  }

  record Result(
      long events,
      int tasks,
      long fillNanos,
      List<Run> runs,
      boolean projectorCaughtUp,
      long taskRows,
      long eventLogRows,
      String projectorState) {
    double fillRate() {
      return events / (fillNanos / 1e9);
    }

    double medianRawRate() {
      return median(runs.stream().mapToDouble(Run::rawRate).toArray());
    }

    double medianProjectorRate() {
      return median(runs.stream().mapToDouble(Run::projectorRate).toArray());
    }

    private static double median(double[] v) {
      double[] s = v.clone();
      java.util.Arrays.sort(s);
      return s.length == 0
          ? Double.NaN
          : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
  }

  /**
   * Warms the projector's code up as the raw baseline's warm-up pass warms its own: an orchestrator
   * catches up on {@value #PROJECTOR_WARMUP_EVENTS} events of a mesh of its own (own stream and
   * database), in this JVM, before the measured one starts. A projector in service runs warm; a
   * cold JVM would otherwise be measured against a warm baseline.
   */
  static void warmUp(BenchConfig c) throws Exception {
    try (Mesh warm = Mesh.create(c)) {
      try (AutoCloseableConnection fc =
          new AutoCloseableConnection(Mesh.connect(warm.natsUrl(), "jetmesh-bench-warmup"))) {
        EventStore store = new EventStore(fc.nc(), warm.stream());
        store.ensureStream();
        fill(store, "w", PROJECTOR_WARMUP_EVENTS / 4, c.phaseTimeout());
      }
      long t0 = System.nanoTime();
      Orchestrator o =
          warm.startOrchestrator(Map.of("MESH_PROJECTOR_BATCH", String.valueOf(c.batch())));
      if (!o.watermark().awaitAtLeast(warm.streamLast(), c.phaseTimeout())) {
        throw new IllegalStateException("projector warm-up did not catch up");
      }
      System.out.printf(
          "  projector warm-up: %,d events in %.1f s (own stream and database)%n",
          warm.streamLast(), (System.nanoTime() - t0) / 1e9);
    }
  }

  static Result run(BenchConfig c, Mesh mesh) throws Exception {
    int tasks = (c.projectorEvents() + 3) / 4;
    Duration max = c.phaseTimeout();

    // 1. Fill the stream; no orchestrator is running yet.
    long fillNanos;
    try (AutoCloseableConnection fc =
        new AutoCloseableConnection(Mesh.connect(mesh.natsUrl(), "jetmesh-bench-fill"))) {
      EventStore store = new EventStore(fc.nc(), mesh.stream());
      store.ensureStream();
      fillNanos = fill(store, "p", tasks, max);
    }
    long last = mesh.streamLast();
    long events = last;
    System.out.printf(
        "  filled %,d events (%,d tasks) in %.1f s%n", events, tasks, fillNanos / 1e9);

    // 2. Warm-up pass of the raw baseline, then RUNS alternating measured passes of the raw
    //    baseline and of the projector (each from checkpoint 0 with a fresh database), so that
    //    both see the same machine; the medians are compared.
    RawBaseline.pass(
        mesh,
        "bench_raw_warmup",
        "bench-raw-warmup",
        Math.min(RAW_WARMUP_EVENTS, last),
        c.batch(),
        max);
    List<Run> runs = new ArrayList<>();
    boolean caughtUp = true;
    long taskRows = 0;
    long logRows = 0;
    String state = "?";
    for (int i = 0; i < RUNS; i++) {
      CpuMeter rawCpu = CpuMeter.start();
      long[] raw =
          RawBaseline.pass(mesh, "bench_raw_events_" + i, "bench-raw-" + i, last, c.batch(), max);
      String rawCpuUse = rawCpu.stop();
      System.out.printf(
          "  run %d raw baseline: %,d events in %.1f s; CPU %s%n",
          i + 1, raw[0], raw[1] / 1e9, rawCpuUse);

      try (TestDatabase db = i == 0 ? null : TestDatabase.create()) {
        Map<String, String> env = new HashMap<>();
        env.put("MESH_PROJECTOR_BATCH", String.valueOf(c.batch()));
        if (db != null) {
          env.put("MESH_DB_URL", db.url());
          env.put("MESH_DB_USER", db.user());
          env.put("MESH_DB_PASSWORD", db.password());
        }
        CpuMeter projectorCpu = CpuMeter.start();
        Orchestrator o = mesh.startOrchestrator(env);
        long t0 = System.nanoTime();
        long w0 = o.watermark().current();
        caughtUp &= o.watermark().awaitAtLeast(last, max);
        long t1 = System.nanoTime();
        String projectorCpuUse = projectorCpu.stop();
        long projected = o.watermark().current() - w0;
        System.out.printf(
            "  run %d projector: %,d events in %.1f s (watermark %,d at start); CPU %s%n",
            i + 1, projected, (t1 - t0) / 1e9, w0, projectorCpuUse);
        TestDatabase readModel = db != null ? db : mesh.db();
        taskRows = count(readModel, "tasks");
        logRows = count(readModel, "event_log");
        state = o.projector().state().toString();
        mesh.stopOrchestrator();
        runs.add(new Run(raw[0], raw[1], rawCpuUse, projected, t1 - t0, projectorCpuUse));
        if (taskRows != tasks || logRows != events) {
          break; // reported as a problem; no point in measuring again
        }
      }
    }
    return new Result(events, tasks, fillNanos, runs, caughtUp, taskRows, logRows, state);
  }

  /** Appends {@code tasks} full lifecycles: every submission first, then claim, start, complete. */
  static long fill(EventStore store, String prefix, int tasks, Duration max) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(FILL_THREADS);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int w = 0; w < FILL_THREADS; w++) {
      int worker = w;
      threads.add(
          Thread.ofPlatform()
              .name("fill-" + w)
              .start(
                  () -> {
                    try {
                      String node = "bench-fill-n" + worker;
                      List<Integer> mine = new ArrayList<>();
                      for (int i = worker; i < tasks; i += FILL_THREADS) {
                        mine.add(i);
                      }
                      long[] seqs = new long[mine.size()];
                      for (int k = 0; k < mine.size(); k++) {
                        String id = prefix + "-" + mine.get(k);
                        seqs[k] = append(store, id, new TaskEvent.TaskSubmitted(spec(id)), 0);
                      }
                      barrier.await();
                      for (int k = 0; k < mine.size(); k++) {
                        String id = prefix + "-" + mine.get(k);
                        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                        long s =
                            append(
                                store,
                                id,
                                new TaskEvent.TaskClaimed(node, now.plus(Duration.ofMinutes(30))),
                                seqs[k]);
                        s = append(store, id, new TaskEvent.TaskStarted(node), s);
                        append(store, id, new TaskEvent.TaskCompleted(node, null), s);
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                      barrier.reset();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join(max.toMillis());
    }
    if (failure.get() != null) {
      throw new IllegalStateException("filling the stream failed", failure.get());
    }
    return System.nanoTime() - t0;
  }

  private static long append(EventStore store, String id, MeshEvent e, long expected) {
    Envelope env =
        Envelope.wrap(
            e,
            id,
            "bench",
            UUID.randomUUID().toString(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return store.append(Subjects.taskEvents(id), env, expected);
  }

  static TaskSpec spec(String id) {
    return TaskSpec.withDefaults(
        id, "bench task " + id, "A task submitted by the jetmesh load driver; nothing runs it.");
  }

  static long count(TestDatabase db, String table) throws SQLException {
    try (java.sql.Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A NATS connection for try-with-resources. */
  record AutoCloseableConnection(Connection nc) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      nc.close();
    }
  }
}
