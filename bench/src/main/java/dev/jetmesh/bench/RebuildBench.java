package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.fmt;
import static dev.jetmesh.bench.Report.say;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.cli.RebuildCommand;
import dev.jetmesh.orchestrator.projection.Rebuild;
import dev.jetmesh.orchestrator.store.EventStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code jetmesh rebuild} over a large stream, beside the raw fetch + insert baseline measured on
 * the same stream in the same run.
 *
 * <ol>
 *   <li>Fill: {@code bench.rebuildEvents} events (task lifecycles) appended before anything runs.
 *   <li>Raw: the projector benchmark's bare consumer and batched insert, once warm.
 *   <li>Project: an orchestrator catches up on the stream (the read model to rebuild), then stops.
 *   <li>Rebuild: {@link RebuildCommand#run} in this JVM, replacing the read model; its projecting
 *       time gives the rate, its wall time includes the hashes before and after. The heap is read
 *       when projecting ends (its last progress line), while the rebuild still holds what its
 *       projections keep, before and after a full GC (whose time is taken off the wall time), and
 *       again after a full GC once it returned.
 * </ol>
 */
final class RebuildBench {
  private RebuildBench() {}

  record Result(
      int batch,
      long events,
      long fillNanos,
      long rawEvents,
      long rawNanos,
      long projectorNanos,
      Rebuild.Report report,
      long wallNanos,
      String cpu,
      long heapUsed,
      long heapLive,
      long heapAfter,
      long heapMax) {
    double rawRate() {
      return rawEvents / (rawNanos / 1e9);
    }

    double rebuildRate() {
      return report.checkpoint() / (report.projectNanos() / 1e9);
    }

    double wallRate() {
      return report.checkpoint() / (wallNanos / 1e9);
    }
  }

  static Result run(BenchConfig c, Mesh mesh) throws Exception {
    Duration max = c.phaseTimeout();
    int tasks = (c.rebuildEvents() + 3) / 4;
    long fillNanos;
    try (ProjectorBench.AutoCloseableConnection fc =
        new ProjectorBench.AutoCloseableConnection(
            Mesh.connect(mesh.natsUrl(), "jetmesh-bench-fill"))) {
      EventStore store = new EventStore(fc.nc(), mesh.stream());
      store.ensureStream();
      fillNanos = ProjectorBench.fill(store, "r", tasks, max);
    }
    long last = mesh.streamLast();
    say("  filled %,d events (%,d tasks) in %.1f s", last, tasks, fillNanos / 1e9);

    RawBaseline.pass(
        mesh, "bench_raw_rb_warmup", "bench-raw-rb-warmup", Math.min(10_000, last), c.batch(), max);
    long[] raw = RawBaseline.pass(mesh, "bench_raw_rb", "bench-raw-rb", last, c.batch(), max);
    say("  raw baseline: %,d events in %.1f s", raw[0], raw[1] / 1e9);

    Map<String, String> env = Map.of("MESH_PROJECTOR_BATCH", String.valueOf(c.batch()));
    Orchestrator o = mesh.startOrchestrator(env);
    long t0 = System.nanoTime();
    if (!o.watermark().awaitAtLeast(last, max)) {
      throw new IllegalStateException("the projector did not reach " + last + " in " + max);
    }
    long projectorNanos = System.nanoTime() - t0;
    mesh.stopOrchestrator();
    say("  projector caught up on %,d events in %.1f s", last, projectorNanos / 1e9);

    System.gc();
    Runtime rt = Runtime.getRuntime();
    long[] heap = new long[3]; // used and live when projecting ended, GC nanos
    CpuMeter cpu = CpuMeter.start();
    long w0 = System.nanoTime();
    Rebuild.Report report =
        RebuildCommand.run(
            mesh.config(env),
            false,
            Duration.ofSeconds(10),
            line -> {
              say("  %s", line);
              if (line.startsWith("rebuild: projected")) {
                heap[0] = rt.totalMemory() - rt.freeMemory();
                long g0 = System.nanoTime();
                System.gc();
                heap[2] = System.nanoTime() - g0;
                heap[1] = rt.totalMemory() - rt.freeMemory();
              }
            });
    long wallNanos = System.nanoTime() - w0 - heap[2];
    String cpuUse = cpu.stop();
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    return new Result(
        c.batch(),
        last,
        fillNanos,
        raw[0],
        raw[1],
        projectorNanos,
        report,
        wallNanos,
        cpuUse,
        heap[0],
        heap[1],
        after,
        rt.maxMemory());
  }

  /** Section 4 of the report; a difference found by the rebuild is a problem. */
  static void report(Result r, Report out) {
    StringBuilder md = out.md();
    if (!r.report().equal()) {
      out.problems().add("rebuild found tables that differ: " + r.report().different());
    }
    md.append("## 4. Rebuild vs raw baseline\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d events (task lifecycles) appended before anything runs (%s events/s); raw"
                + " baseline as in section 3 (one pass, after a 10,000-event warm-up); then an"
                + " orchestrator projects them (%s events/s) and stops, and `jetmesh rebuild`"
                + " (`RebuildCommand.run`, in this JVM) replaces the read model: hashes, truncate,"
                + " project 1..C with MESH_PROJECTOR_BATCH = %d, ANALYZE (since 2026-12-07),"
                + " hashes again.%n%n",
            r.events(),
            fmt(r.events() / (r.fillNanos() / 1e9)),
            fmt(r.events() / (r.projectorNanos() / 1e9)),
            r.batch()));
    md.append("| figure | value |\n|---|---|\n");
    out.row("raw baseline (fetch + batched insert)", rate(r.rawEvents(), r.rawNanos()));
    out.row(
        "**rebuild, projecting 1..C**",
        "**" + rate(r.report().checkpoint(), r.report().projectNanos()) + "**");
    out.row(
        "**rebuild / raw**",
        String.format(Locale.ROOT, "**%.2f×**", r.rebuildRate() / r.rawRate()));
    out.row(
        "rebuild, wall time with both hash passes and the ANALYZE",
        rate(r.report().checkpoint(), r.wallNanos()));
    out.row(
        "tables compared",
        r.report().tables().size()
            + (r.report().equal() ? ", all equal" : ", DIFFERENT: " + r.report().different()));
    out.row("heap used when projecting ended (before GC)", mib(r.heapUsed()));
    out.row(
        "**heap live when projecting ended** (after a full GC)", "**" + mib(r.heapLive()) + "**");
    out.row("heap live once the rebuild returned (after a full GC)", mib(r.heapAfter()));
    out.row("heap max (-Xmx = -Xms)", mib(r.heapMax()));
    out.row("CPU during the rebuild", r.cpu());
    md.append('\n');
  }

  private static String rate(long events, long nanos) {
    return String.format(
        Locale.ROOT,
        "%,d in %.2f s: %s events/s",
        events,
        nanos / 1e9,
        fmt(events / (nanos / 1e9)));
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1024.0 / 1024.0);
  }
}
