package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.fmt;
import static dev.jetmesh.bench.Report.say;
import static dev.jetmesh.bench.Report.secs;
import static dev.jetmesh.bench.Report.shortId;

import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The jetmesh load driver and projector benchmark. Run it as described in docs/benchmarks.md; it
 * prints a markdown report and writes it to {@code bench.out}.
 *
 * <ol>
 *   <li><b>e2e</b>: after a {@link WarmUp} round, submit N tasks over NATS (pipelined), wait until
 *       they are projected, drain them with W claimers doing claim → start → complete.
 *   <li><b>depth</b>: after a {@link WarmUp} round, claim latency with 1k, 10k and 100k tasks
 *       queued (each completed task is replaced by a new one, so the depth holds while measuring).
 *   <li><b>projector</b>: projector catch-up over a pre-filled stream beside a raw fetch + insert
 *       baseline.
 *   <li><b>rebuild</b> (not run by default): {@code jetmesh rebuild} over a large stream beside the
 *       same baseline, with the heap at the end.
 *   <li><b>reads</b> (not run by default): {@link ReadsPhase}, reads right after one's own write,
 *       with the projector's linger and without.
 *   <li><b>scale</b> (not run by default): {@link ScaleOutBench}, 1, 2 and 3 orchestrators.
 * </ol>
 */
public final class Bench {
  private final BenchConfig c;
  private final Report report;
  private final StringBuilder md;
  private final List<String> problems;

  private Bench(BenchConfig c) {
    this.c = c;
    this.report = new Report(c.phaseTimeout());
    this.md = report.md();
    this.problems = report.problems();
  }

  public static void main(String[] args) throws Exception {
    BenchConfig c = BenchConfig.fromSystemProperties();
    int status = new Bench(c).run();
    System.exit(status);
  }

  private int run() throws Exception {
    long t0 = System.nanoTime();
    String loadAtStart = MachineReport.loadAverage();
    say("load average at start: %s", loadAtStart);
    md.append("# jetmesh benchmark results\n\n");
    md.append("Run at ")
        .append(
            ZonedDateTime.now(ZoneId.systemDefault())
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".\n\n");
    String[] versions = {"?", "?"};
    if (c.runs("e2e")) {
      say("== end-to-end: %,d tasks, %d claimers ==", c.tasks(), c.claimers());
      try (Mesh m = Mesh.create(c)) {
        versions = MachineReport.versions(m);
        endToEnd(m);
      }
    }
    if (c.runs("depth")) {
      say("== claim latency vs queue depth %s ==", c.depths());
      try (Mesh m = Mesh.create(c)) {
        versions = MachineReport.versions(m);
        DepthPhase.run(c, m, report);
      }
    }
    if (c.runs("projector")) {
      if (c.external()) {
        problems.add(
            "projector phase skipped: it needs its own stream and database (not external)");
      } else {
        say("== projector vs raw baseline: %,d events ==", c.projectorEvents());
        ProjectorBench.warmUp(c);
        try (Mesh m = Mesh.create(c)) {
          versions = MachineReport.versions(m);
          projector(m);
        }
      }
    }
    if (c.runs("rebuild")) {
      if (c.external()) {
        problems.add("rebuild phase skipped: it needs its own stream and database (not external)");
      } else {
        say("== rebuild vs raw baseline: %,d events ==", c.rebuildEvents());
        try (Mesh m = Mesh.create(c)) {
          versions = MachineReport.versions(m);
          RebuildBench.report(RebuildBench.run(c, m), report);
        }
      }
    }
    if (c.runs("reads")) {
      if (c.external()) {
        problems.add("reads phase skipped: it starts its own orchestrators (not external)");
      } else {
        say("== read-your-writes on a quiet mesh, linger %s ms ==", ReadsPhase.LINGERS_MS);
        try (Mesh m = Mesh.create(c)) {
          versions = MachineReport.versions(m);
          ReadsPhase.run(c, m, report);
        }
      }
    }
    if (c.runs("scale")) {
      if (c.external()) {
        problems.add("scale phase skipped: it starts its own orchestrators (not external)");
      } else {
        say(
            "== scale-out: %s orchestrator processes, %,d tasks ==",
            c.orchestrators(), c.scaleTasks());
        ScaleOutBench.report(c, report);
      }
    }
    MachineReport.append(report, c, versions, (System.nanoTime() - t0) / 1e9, loadAtStart);
    if (!problems.isEmpty()) {
      md.append("## Problems\n\n");
      for (String p : problems) {
        md.append("- ").append(p).append('\n');
      }
      md.append('\n');
    }
    String report = md.toString();
    System.out.println();
    System.out.println(report);
    Path out = c.out();
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, report);
    System.out.println("(written to " + out.toAbsolutePath() + ")");
    return problems.isEmpty() ? 0 : 1;
  }

  // ---- phases ----

  private void endToEnd(Mesh m) throws Exception {
    if (!m.external()) {
      m.startOrchestratorProcess();
    }
    WarmUp.Result warm = WarmUp.run(c, m, report, "e2e");
    String run = "e2e" + shortId();
    int n = c.tasks();
    CpuMeter submitCpu = CpuMeter.start();
    SubmitResult s =
        Driver.submit(m.natsUrl(), run, 0, n, c.submitters(), c.window(), c.phaseTimeout());
    String submitCpuUse = submitCpu.stop();
    report.check("e2e submit", s);
    long tSubmitted = System.nanoTime();
    long last = m.streamLast();
    boolean projected = m.awaitProjected(last, c.phaseTimeout());
    long lagNanos = System.nanoTime() - tSubmitted;
    if (!projected) {
      problems.add("e2e: the projector did not reach sequence " + last + " in " + c.phaseTimeout());
    }
    say(
        "  submitted %,d in %.1f s; projected %.2f s later",
        s.ok(), s.nanos() / 1e9, lagNanos / 1e9);
    CpuMeter drainCpu = CpuMeter.start();
    ClaimRun r =
        Driver.claimLoop(
            Driver.TASKS, m.natsUrl(), run, c.claimers(), n, 0, null, 0, c.phaseTimeout());
    String drainCpuUse = drainCpu.stop();
    report.check("e2e drain", r);
    say("  drained %,d in %.1f s", r.completed(), r.nanos() / 1e9);
    double overall = r.completed() / ((s.nanos() + lagNanos + r.nanos()) / 1e9);

    md.append("## 1. End-to-end throughput\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d tasks submitted over `mesh.tasks.submit` by %d submitters with %d requests in flight"
                + " each, then drained by W = %d claimer threads (own NATS connection and node id"
                + " each) doing claim → start → complete over request/reply.%n%n",
            n,
            c.submitters(),
            c.window(),
            c.claimers()));
    if (warm != null) {
      md.append(
          "Before that, on the same freshly started orchestrator, a warm-up round of the same"
              + " requests, not counted in the figures below but reported in the first row: the"
              + " JVM compiles its hot paths during its first tens of thousands of requests, so"
              + " that row is what an orchestrator's first requests after a restart or failover look like.\n\n");
    }
    md.append("| figure | value |\n|---|---|\n");
    if (warm != null) {
      report.row("warm-up round (freshly started orchestrator, not counted below)", warm.summary());
    }
    report.row("submit throughput", fmt(s.perSecond()) + " tasks/s (" + secs(s.nanos()) + ")");
    report.row("projection lag after the last submit reply", secs(lagNanos));
    report.row(
        "**drain throughput (claim → start → complete, W = " + c.claimers() + ")**",
        "**"
            + fmt(r.perSecond())
            + " tasks/s** ("
            + fmt(r.completed())
            + " in "
            + secs(r.nanos())
            + ")");
    report.row("overall (submit + project + drain)", fmt(overall) + " tasks/s");
    report.row("CPU while submitting", submitCpuUse);
    report.row("CPU while draining", drainCpuUse);
    report.row("empty claims while draining", fmt((double) r.emptyClaims()));
    report.row(
        "errors", r.errors() + (r.firstError() == null ? "" : " (first: " + r.firstError() + ")"));
    md.append('\n');
    md.append(
        "| request latency (ms) | p50 | p90 | p99 | max | count |\n|---|---|---|---|---|---|\n");
    report.latencyRow("claim", r.claim());
    report.latencyRow("start", r.start());
    report.latencyRow("complete", r.complete());
    md.append('\n');
  }

  private void projector(Mesh m) throws Exception {
    ProjectorBench.Result r = ProjectorBench.run(c, m);
    if (!r.projectorCaughtUp()) {
      problems.add(
          "projector did not catch up in "
              + c.phaseTimeout()
              + " (state "
              + r.projectorState()
              + ")");
    }
    if (r.eventLogRows() != r.events() || r.taskRows() != r.tasks()) {
      problems.add(
          "projector read model incomplete: event_log "
              + r.eventLogRows()
              + "/"
              + r.events()
              + ", tasks "
              + r.taskRows()
              + "/"
              + r.tasks());
    }
    double ratio = r.medianProjectorRate() / r.medianRawRate();
    md.append("## 3. Projector throughput vs raw baseline\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d events (%,d task lifecycles: submitted, claimed, started, completed) appended with"
                + " `EventStore.append` by %d threads before any orchestrator runs. Raw baseline:"
                + " the stream read as the projector reads it (its consumer and subscription, batches"
                + " of %d) and a JDBC batch `INSERT (seq, subject, data::jsonb)` into a scratch table, one"
                + " transaction per batch, ack after commit (after a %,d-event warm-up pass)."
                + " Projector: an orchestrator started on the filled stream with a fresh database;"
                + " time from `Orchestrator.start` returning until `watermark().current()` reaches"
                + " the stream's last sequence (MESH_PROJECTOR_BATCH = %d), after a warm-up"
                + " catch-up of %,d events on a stream and database of its own. %d alternating"
                + " passes of each; the ratio is of the medians.%n%n",
            r.events(),
            r.tasks(),
            8,
            c.batch(),
            ProjectorBench.RAW_WARMUP_EVENTS,
            c.batch(),
            ProjectorBench.PROJECTOR_WARMUP_EVENTS,
            ProjectorBench.RUNS));
    md.append(
        String.format(
            Locale.ROOT,
            "Fill (EventStore.append, 8 threads): %,d events in %s (%s events/s).%n%n",
            r.events(),
            secs(r.fillNanos()),
            fmt(r.fillRate())));
    md.append(
        "| pass | raw baseline (fetch + batched insert) | events/s | projector | events/s |"
            + " projector / raw |\n|---|---|---|---|---|---|\n");
    int n = 1;
    for (ProjectorBench.Run run : r.runs()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %,d in %s | %s | %,d in %s | %s | %.2f× |%n",
              n++,
              run.rawEvents(),
              secs(run.rawNanos()),
              fmt(run.rawRate()),
              run.projectedEvents(),
              secs(run.projectorNanos()),
              fmt(run.projectorRate()),
              run.projectorRate() / run.rawRate()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "| **median** | | %s | | **%s** | **%.2f×** (target ≥ 0.8×) |%n%n",
            fmt(r.medianRawRate()),
            fmt(r.medianProjectorRate()),
            ratio));
    md.append(
        String.format(
            Locale.ROOT,
            "Read model after the last catch-up: %,d rows in `event_log`, %,d in `tasks`; projector"
                + " %s.%n%n",
            r.eventLogRows(),
            r.taskRows(),
            r.projectorState()));
    md.append("| CPU during | |\n|---|---|\n");
    n = 1;
    for (ProjectorBench.Run run : r.runs()) {
      report.row("raw baseline, pass " + n, run.rawCpu());
      report.row("projector catch-up, pass " + n, run.projectorCpu());
      n++;
    }
    md.append('\n');
  }
}
