package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.fmt;
import static dev.jetmesh.bench.Report.say;

import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End to end against 1, 2, 3 … orchestrator processes (the jar, as users run it) on one stream and
 * one database, driven from this process over the wire: submit, then 8 claimers claim → start →
 * complete. Each configuration runs {@code bench.scaleRounds} times, interleaved (1, 2, 3, 1, 2, 3,
 * …) so that a machine getting busier does not favour one of them; the table shows the median.
 */
final class ScaleOutBench {
  private static final Duration START = Duration.ofMinutes(2);

  private record Round(
      int orchestrators, double tasksPerSecond, ClaimRun run, double cpuMsPerTask) {}

  private ScaleOutBench() {}

  /** Appends the section to {@code report}; a failed check is one of its problems. */
  static void report(BenchConfig c, Report report) throws Exception {
    Map<Integer, List<Round>> rounds = new LinkedHashMap<>();
    for (int round = 0; round < c.scaleRounds(); round++) {
      for (int n : c.orchestrators()) {
        Round r = once(c, n, "s" + round + "o" + n, report);
        say(
            "  round %d, %d orchestrator(s): %.0f tasks/s, claim p99 %.2f ms, %.2f ms CPU/task",
            round + 1,
            n,
            r.tasksPerSecond(),
            r.run().claim().getValueAtPercentile(99) / 1000.0,
            r.cpuMsPerTask());
        rounds.computeIfAbsent(n, k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder md = report.md();
    md.append("## Scale-out: 1, 2, 3 orchestrator processes\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Each orchestrator is `java -jar jetmesh-orchestrator.jar serve`, all on one stream and"
                + " one database; %,d tasks submitted, then drained by %d claimers (claim → start →"
                + " complete) from the benchmark's process. Median of %d interleaved rounds (all"
                + " rounds in the last column). CPU is the orchestrator processes' own, per task"
                + " drained.%n%n",
            c.scaleTasks(),
            c.claimers(),
            c.scaleRounds()));
    md.append(
        "| orchestrators | drain tasks/s | vs one | claim p50 ms | claim p99 ms | start p99 ms |"
            + " complete p99 ms | orchestrator CPU ms/task | every round, tasks/s |\n"
            + "|---|---|---|---|---|---|---|---|---|\n");
    double one = Double.NaN;
    for (Map.Entry<Integer, List<Round>> e : rounds.entrySet()) {
      List<Round> rs = e.getValue();
      Round mid = median(rs);
      if (e.getKey() == 1) {
        one = mid.tasksPerSecond();
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %,.0f | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n",
              e.getKey(),
              mid.tasksPerSecond(),
              Double.isNaN(one)
                  ? "—"
                  : String.format(Locale.ROOT, "%.2f×", mid.tasksPerSecond() / one),
              mid.run().claim().getValueAtPercentile(50) / 1000.0,
              mid.run().claim().getValueAtPercentile(99) / 1000.0,
              mid.run().start().getValueAtPercentile(99) / 1000.0,
              mid.run().complete().getValueAtPercentile(99) / 1000.0,
              mid.cpuMsPerTask(),
              String.join(", ", rs.stream().map(r -> fmt(r.tasksPerSecond())).toList())));
    }
    md.append('\n');
  }

  private static Round once(BenchConfig c, int n, String run, Report report) throws Exception {
    List<String> problems = report.problems();
    try (Mesh m = Mesh.create(c);
        OrchestratorJars o = OrchestratorJars.start(n, m.processEnv(), START)) {
      SubmitResult s =
          Driver.submit(
              m.natsUrl(), run, 0, c.scaleTasks(), c.submitters(), c.window(), c.phaseTimeout());
      report.check(run, s);
      if (!m.awaitProjected(m.streamLast(), c.phaseTimeout())) {
        problems.add(run + ": the projector did not catch up within " + c.phaseTimeout());
      }
      // Warm-up: the first tasks drained are not measured (JIT compilation in every process).
      int warmup = Math.min(c.scaleTasks() / 4, 500);
      Driver.claimLoop(
          Driver.TASKS, m.natsUrl(), run, c.claimers(), warmup, 0, null, 0, c.phaseTimeout());
      long[] cpu0 = new long[n];
      for (int i = 0; i < n; i++) {
        cpu0[i] = cpuTicks(List.of(o.pids().get(i)));
      }
      ClaimRun r =
          Driver.claimLoop(
              Driver.TASKS,
              m.natsUrl(),
              run,
              c.claimers(),
              c.scaleTasks() - warmup,
              0,
              null,
              0,
              c.phaseTimeout());
      long cpu = 0;
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < n; i++) {
        long t = cpuTicks(List.of(o.pids().get(i))) - cpu0[i];
        cpu += t;
        each.append(i == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%.2f", t * 10.0 / Math.max(1, r.completed())));
      }
      say("    CPU ms/task per orchestrator process: %s", each);
      // Not report.check, which makes errors and the timeout two problems: one line per round.
      if (r.errors() > 0 || r.timedOut()) {
        problems.add(
            run
                + ": "
                + r.errors()
                + " errors, timed out "
                + r.timedOut()
                + " (first: "
                + r.firstError()
                + ")");
      }
      double cpuMsPerTask = r.completed() == 0 ? 0 : cpu * 10.0 / r.completed(); // 100 ticks/s
      return new Round(n, r.perSecond(), r, cpuMsPerTask);
    }
  }

  private static Round median(List<Round> rs) {
    Round[] sorted =
        rs.stream()
            .sorted((a, b) -> Double.compare(a.tasksPerSecond(), b.tasksPerSecond()))
            .toArray(Round[]::new);
    return sorted[sorted.length / 2];
  }

  /** User + system clock ticks of {@code pids} (and their threads), from /proc. */
  private static long cpuTicks(List<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the command name, which may hold spaces: state is field 3, utime 14.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
      } catch (IOException | RuntimeException e) {
        // not Linux, or the process is gone: no CPU figure for it
      }
    }
    return total;
  }

  static List<Integer> parse(String csv) {
    return Arrays.stream(csv.split(",", -1)).map(String::trim).map(Integer::parseInt).toList();
  }
}
