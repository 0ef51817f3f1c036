package dev.jetmesh.bench;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.HdrHistogram.Histogram;

/**
 * The jetmesh load driver and projector benchmark. Run it as described in docs/benchmarks.md; it
 * prints a markdown report and writes it to {@code bench.out}.
 *
 * <ol>
 *   <li><b>e2e</b>: submit N tasks over NATS (pipelined), wait until they are projected, drain them
 *       with W claimers doing claim → start → complete.
 *   <li><b>depth</b>: claim latency with 1k, 10k and 100k tasks queued (each completed task is
 *       replaced by a new one, so the depth holds while measuring).
 *   <li><b>projector</b>: projector catch-up over a pre-filled stream beside a raw fetch + insert
 *       baseline.
 *   <li><b>rebuild</b> (not run by default): {@code jetmesh rebuild} over a large stream beside the
 *       same baseline, with the heap at the end.
 * </ol>
 */
public final class Bench {
  private final BenchConfig c;
  private final StringBuilder md = new StringBuilder();
  private final List<String> problems = new ArrayList<>();

  private Bench(BenchConfig c) {
    this.c = c;
  }

  public static void main(String[] args) throws Exception {
    BenchConfig c = BenchConfig.fromSystemProperties();
    int status = new Bench(c).run();
    System.exit(status);
  }

  private int run() throws Exception {
    long t0 = System.nanoTime();
    String loadAtStart = loadAverage();
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
        versions = versions(m);
        endToEnd(m);
      }
    }
    if (c.runs("depth")) {
      say("== claim latency vs queue depth %s ==", c.depths());
      try (Mesh m = Mesh.create(c)) {
        versions = versions(m);
        depth(m);
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
          versions = versions(m);
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
          versions = versions(m);
          RebuildBench.report(RebuildBench.run(c, m), md, problems);
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
        ScaleOutBench.report(c, md, problems);
      }
    }
    machine(versions, (System.nanoTime() - t0) / 1e9, loadAtStart);
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
    String run = "e2e" + shortId();
    int n = c.tasks();
    CpuMeter submitCpu = CpuMeter.start();
    SubmitResult s =
        Driver.submit(m.natsUrl(), run, 0, n, c.submitters(), c.window(), c.phaseTimeout());
    String submitCpuUse = submitCpu.stop();
    check("e2e submit", s);
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
    ClaimRun r = Driver.claimLoop(m.natsUrl(), run, c.claimers(), n, 0, null, 0, c.phaseTimeout());
    String drainCpuUse = drainCpu.stop();
    check("e2e drain", r);
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
    md.append("| figure | value |\n|---|---|\n");
    row("submit throughput", fmt(s.perSecond()) + " tasks/s (" + secs(s.nanos()) + ")");
    row("projection lag after the last submit reply", secs(lagNanos));
    row(
        "**drain throughput (claim → start → complete, W = " + c.claimers() + ")**",
        "**"
            + fmt(r.perSecond())
            + " tasks/s** ("
            + fmt(r.completed())
            + " in "
            + secs(r.nanos())
            + ")");
    row("overall (submit + project + drain)", fmt(overall) + " tasks/s");
    row("CPU while submitting", submitCpuUse);
    row("CPU while draining", drainCpuUse);
    row("empty claims while draining", fmt((double) r.emptyClaims()));
    row("errors", r.errors() + (r.firstError() == null ? "" : " (first: " + r.firstError() + ")"));
    md.append('\n');
    md.append(
        "| request latency (ms) | p50 | p90 | p99 | max | count |\n|---|---|---|---|---|---|\n");
    latencyRow("claim", r.claim());
    latencyRow("start", r.start());
    latencyRow("complete", r.complete());
    md.append('\n');
  }

  /** One progress line for the claims measured at one depth. */
  private static void sayClaims(String what, Histogram h, String cpu) {
    say(
        "  %s: claim p50 %s ms, p99 %s ms over %,d claims; CPU %s",
        what,
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(99)),
        h.getTotalCount(),
        cpu);
  }

  /** A table row: depth, claim count, p50, p90, p99, max (ms), then {@code more} cells. */
  private static String claimRow(int depth, Histogram h, String... more) {
    StringBuilder row =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "| %,d | %,d | %s | %s | %s | %s |",
                depth,
                h.getTotalCount(),
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue())));
    for (String cell : more) {
      row.append(' ').append(cell).append(" |");
    }
    return row.toString();
  }

  private static final int PACED_CLAIMS = 1_000;
  private static final long PACED_PAUSE_MS = 50;

  private void depth(Mesh m) throws Exception {
    if (!m.external()) {
      m.startOrchestratorProcess();
    }
    String run = "d" + shortId();
    int queued = 0;
    List<String> rows = new ArrayList<>();
    List<String> cpuRows = new ArrayList<>();
    List<String> pacedRows = new ArrayList<>();
    for (int depth : c.depths()) {
      int add = depth - queued;
      if (add > 0) {
        SubmitResult s =
            Driver.submit(
                m.natsUrl(),
                run + "q" + depth,
                0,
                add,
                c.submitters(),
                c.window(),
                c.phaseTimeout());
        check("depth " + depth + " submit", s);
        long t = System.nanoTime();
        boolean projected = m.awaitProjected(m.streamLast(), c.phaseTimeout());
        if (!projected) {
          problems.add("depth " + depth + ": not projected in " + c.phaseTimeout());
        }
        say(
            "  depth %,d: submitted %,d in %.1f s (%s tasks/s), projected %.2f s later",
            depth, s.ok(), s.nanos() / 1e9, fmt(s.perSecond()), (System.nanoTime() - t) / 1e9);
        queued = depth;
      }
      CpuMeter cpu = CpuMeter.start();
      ClaimRun r =
          Driver.claimLoop(
              m.natsUrl(),
              run + "c" + depth,
              c.claimers(),
              c.depthClaims(),
              c.warmupClaims(),
              run + "r" + depth,
              0,
              c.phaseTimeout());
      String cpuUse = cpu.stop();
      check("depth " + depth + " claims", r);
      Histogram h = r.claim();
      // The same cycles at an offered load well below what the machine can do: what a claim costs
      // when it does not queue behind a saturated machine (its load driver included).
      CpuMeter pacedCpu = CpuMeter.start();
      ClaimRun paced =
          Driver.claimLoop(
              m.natsUrl(),
              run + "p" + depth,
              c.claimers(),
              PACED_CLAIMS,
              c.warmupClaims(),
              run + "s" + depth,
              PACED_PAUSE_MS,
              c.phaseTimeout());
      String pacedCpuUse = pacedCpu.stop();
      check("depth " + depth + " paced claims", paced);
      Histogram ph = paced.claim();
      pacedRows.add(claimRow(depth, ph, fmt(paced.perSecond()), pacedCpuUse));
      sayClaims(String.format(Locale.ROOT, "depth %,d paced", depth), ph, pacedCpuUse);
      sayClaims(String.format(Locale.ROOT, "depth %,d", depth), h, cpuUse);
      cpuRows.add(String.format(Locale.ROOT, "| %,d | %s |", depth, cpuUse));
      rows.add(claimRow(depth, h, ms(r.replace().getValueAtPercentile(50)), fmt(r.perSecond())));
    }
    md.append("## 2. Claim latency vs queue depth\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "At each depth: the queue is filled to that many claimable tasks, then W = %d claimers"
                + " run %,d unmeasured and %,d measured claim → start → complete cycles; each"
                + " completed task is replaced by a new submission, so the depth holds.%n%n",
            c.claimers(),
            c.warmupClaims(),
            c.depthClaims()));
    md.append(
        "| tasks queued | claims | claim p50 (ms) | p90 | p99 | max | replacement submit p50 |"
            + " cycles/s |\n|---|---|---|---|---|---|---|---|\n");
    for (String r : rows) {
      md.append(r).append('\n');
    }
    md.append("\n| tasks queued | CPU during the measured claims |\n|---|---|\n");
    for (String r : cpuRows) {
      md.append(r).append('\n');
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nPaced, at the same depths: the same W = %d claimers and cycles (with replacement),"
                + " but each claimer pauses %d ms after every cycle, so the offered load stays well"
                + " below what the machine can do; %,d measured claims per depth.%n%n",
            c.claimers(),
            PACED_PAUSE_MS,
            PACED_CLAIMS));
    md.append(
        """
        | tasks queued | claims | claim p50 (ms) | p90 | p99 | max | cycles/s | CPU |
        |---|---|---|---|---|---|---|---|
        """);
    for (String r : pacedRows) {
      md.append(r).append('\n');
    }
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
                + " a bare pull consumer (ack all, fetch batches of %d, as the projector's) and a"
                + " JDBC batch `INSERT (seq, subject, data::jsonb)` into a scratch table, one"
                + " transaction per batch, ack after commit (after a %,d-event warm-up pass)."
                + " Projector: an orchestrator started on the filled stream with a fresh database;"
                + " time from `Orchestrator.start` returning until `watermark().current()` reaches"
                + " the stream's last sequence (MESH_PROJECTOR_BATCH = %d), after a warm-up"
                + " catch-up of 20,000 events on a stream and database of its own. %d alternating"
                + " passes of each; the ratio is of the medians.%n%n",
            r.events(),
            r.tasks(),
            8,
            c.batch(),
            10_000,
            c.batch(),
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
            "| **median** | | %s | | **%s** | **%.2f×** (target ≥ 0.5×) |%n%n",
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
      row("raw baseline, pass " + n, run.rawCpu());
      row("projector catch-up, pass " + n, run.projectorCpu());
      n++;
    }
    md.append('\n');
  }

  // ---- machine ----

  private String[] versions(Mesh m) {
    String nats = m.admin().getServerInfo().getVersion();
    String pg = "? (external mesh)";
    if (!m.external()) {
      try (java.sql.Connection conn = m.db().connect();
          Statement s = conn.createStatement();
          ResultSet rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        pg = rs.getString(1);
      } catch (Exception e) {
        pg = "? (" + e.getMessage() + ")";
      }
    }
    return new String[] {nats, pg};
  }

  private void machine(String[] versions, double seconds, String loadAtStart) {
    md.append("## Machine\n\n| | |\n|---|---|\n");
    row("CPUs (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()));
    row("CPU", cpuModel());
    row("memory", memTotal());
    row("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    row(
        "nats-server",
        versions[0] + (c.natsUrl() == null ? " (private, file store)" : " at " + c.natsUrl()));
    row("PostgreSQL", versions[1]);
    row(
        "layout",
        c.external()
            ? "external orchestrator; load driver in this JVM"
            : "end-to-end, depth and scale-out: each orchestrator its own process (java -jar …"
                + " serve), the load driver in the benchmark's JVM; projector and rebuild: the"
                + " projector in the benchmark's JVM beside its raw baseline; NATS (private) and"
                + " Postgres on loopback");
    row("bench runtime", String.format(Locale.ROOT, "%.0f s", seconds));
    row("load average (1, 5, 15 min) at start / at end", loadAtStart + " / " + loadAverage());
    md.append('\n');
  }

  /** /proc/loadavg's first three fields: anything else running on the machine skews the figures. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "?";
  }

  private static String memTotal() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return "?";
  }

  // ---- helpers ----

  private void check(String what, SubmitResult s) {
    if (s.failed() > 0) {
      problems.add(
          what + ": " + s.failed() + " failed submissions (first: " + s.firstError() + ")");
    }
  }

  private void check(String what, ClaimRun r) {
    if (r.errors() > 0) {
      problems.add(what + ": " + r.errors() + " errors (first: " + r.firstError() + ")");
    }
    if (r.timedOut()) {
      problems.add(what + ": did not finish within " + c.phaseTimeout());
    }
  }

  private void latencyRow(String name, Histogram h) {
    md.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %,d |%n",
            name,
            ms(h.getValueAtPercentile(50)),
            ms(h.getValueAtPercentile(90)),
            ms(h.getValueAtPercentile(99)),
            ms(h.getMaxValue()),
            h.getTotalCount()));
  }

  private void row(String k, String v) {
    md.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  @FormatMethod
  private static void say(@FormatString String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }

  private static String secs(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}
