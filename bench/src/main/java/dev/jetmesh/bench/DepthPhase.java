package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.fmt;
import static dev.jetmesh.bench.Report.ms;
import static dev.jetmesh.bench.Report.say;
import static dev.jetmesh.bench.Report.shortId;

import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Section 2: claim latency with the queue held at each of {@code bench.depths}, at full load and
 * paced.
 */
final class DepthPhase {
  private static final int PACED_CLAIMS = 1_000;
  private static final long PACED_PAUSE_MS = 50;

  private DepthPhase() {}

  static void run(BenchConfig c, Mesh m, Report report) throws Exception {
    StringBuilder md = report.md();
    if (!m.external()) {
      m.startOrchestratorProcess();
    }
    WarmUp.Result warm = WarmUp.run(c, m, report, "depth");
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
        report.check("depth " + depth + " submit", s);
        long t = System.nanoTime();
        boolean projected = m.awaitProjected(m.streamLast(), c.phaseTimeout());
        if (!projected) {
          report.problems().add("depth " + depth + ": not projected in " + c.phaseTimeout());
        }
        say(
            "  depth %,d: submitted %,d in %.1f s (%s tasks/s), projected %.2f s later",
            depth, s.ok(), s.nanos() / 1e9, fmt(s.perSecond()), (System.nanoTime() - t) / 1e9);
        queued = depth;
      }
      CpuMeter cpu = CpuMeter.start();
      ClaimRun r =
          Driver.claimLoop(
              Driver.TASKS,
              m.natsUrl(),
              run + "c" + depth,
              c.claimers(),
              c.depthClaims(),
              c.warmupClaims(),
              run + "r" + depth,
              0,
              c.phaseTimeout());
      String cpuUse = cpu.stop();
      report.check("depth " + depth + " claims", r);
      Histogram h = r.claim();
      // The same cycles at an offered load well below what the machine can do: what a claim costs
      // when it does not queue behind a saturated machine (its load driver included).
      CpuMeter pacedCpu = CpuMeter.start();
      ClaimRun paced =
          Driver.claimLoop(
              Driver.TASKS,
              m.natsUrl(),
              run + "p" + depth,
              c.claimers(),
              PACED_CLAIMS,
              c.warmupClaims(),
              run + "s" + depth,
              PACED_PAUSE_MS,
              c.phaseTimeout());
      String pacedCpuUse = pacedCpu.stop();
      report.check("depth " + depth + " paced claims", paced);
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
    if (warm != null) {
      md.append("Before the first depth, a warm-up round on the freshly started orchestrator (")
          .append(warm.summary())
          .append("), not counted, as in section 1.\n\n");
    }
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
    if (!m.external()) {
      floor(c, m, report, run);
    }
  }

  /**
   * The same closed and paced loops against the claim floor: the latency this machine gives a claim
   * that costs a request, a reply and one JetStream append, and no more.
   */
  private static void floor(BenchConfig c, Mesh m, Report report, String run) throws Exception {
    StringBuilder md = report.md();
    List<String> rows = new ArrayList<>();
    String warmed = "";
    try (ClaimFloor floor = ClaimFloor.start(m.natsUrl(), c.phaseTimeout())) {
      if (c.warmupTasks() > 0) {
        // Warmed up as the orchestrator was: a floor compiled less than the orchestrator would
        // flatter every figure measured against it.
        ClaimRun warm = floor.run(m.natsUrl(), run + "fw", c, c.warmupTasks(), 0);
        report.check("claim floor warm-up", warm);
        warmed =
            String.format(
                Locale.ROOT,
                " Before them, a warm-up of %,d cycles (%s cycles/s), not counted.",
                warm.completed(),
                fmt(warm.perSecond()));
        say(
            "  claim floor warm-up, not counted: %,d cycles, %s cycles/s",
            warm.completed(), fmt(warm.perSecond()));
      }
      String[] modes = {"closed loop", "paced"};
      for (String mode : modes) {
        boolean paced = mode.equals("paced");
        CpuMeter cpu = CpuMeter.start();
        ClaimRun r =
            floor.run(
                m.natsUrl(),
                run + "f" + (paced ? "p" : "c"),
                c,
                paced ? PACED_CLAIMS : c.depthClaims(),
                paced ? PACED_PAUSE_MS : 0);
        String use = cpu.stop();
        Histogram h = r.claim();
        sayClaims("claim floor, " + mode, h, use);
        rows.add(claimRow(mode, h, use.replace("orchestrator", "responder")));
      }
    }
    md.append(
            """
        **Claim floor of this machine**, measured in the same run: the same claimers, cycles and \
        pacing against a responder in its own JVM that answers each request after one JetStream \
        append (a stream configured as the event store's, with message id and expected sequence) \
        and does nothing else (`FloorResponder`). What a claim costs beyond this row is the \
        orchestrator's own: deciding, projecting, Postgres.""")
        .append(warmed)
        .append("\n\n| floor | claims | p50 (ms) | p90 | p99 | max | CPU |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (String r : rows) {
      md.append(r).append('\n');
    }
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
    return claimRow(String.format(Locale.ROOT, "%,d", depth), h, more);
  }

  /** A table row: {@code first}, claim count, p50, p90, p99, max (ms), then {@code more} cells. */
  private static String claimRow(String first, Histogram h, String... more) {
    StringBuilder row =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %s | %s | %s | %s |",
                first,
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
}
