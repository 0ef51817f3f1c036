package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.fmt;
import static dev.jetmesh.bench.Report.say;
import static dev.jetmesh.bench.Report.shortId;

import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A round of submissions and claim → start → complete cycles, not counted in the figures, before a
 * phase measures a freshly started orchestrator process. Such a JVM is still compiling its hot
 * paths for its first tens of thousands of requests: a profile of the end-to-end phase without it
 * showed the compiler threads busy through the whole drain (34 s of compiler-thread time in a 41 s
 * recording). An orchestrator pays that again after every restart or failover, so the round's own
 * rates are reported beside the measured ones, as what its first requests after one look like. Not
 * run against an external orchestrator (it is not freshly started, and the mesh is someone's).
 */
final class WarmUp {
  /** The warm-up round's submissions and drain. */
  record Result(SubmitResult submit, ClaimRun drain) {
    /** One line for the report. */
    String summary() {
      return String.format(
          Locale.ROOT,
          "%,d tasks, submit %s tasks/s, drain %s tasks/s",
          submit.ok(),
          fmt(submit.perSecond()),
          fmt(drain.perSecond()));
    }
  }

  private WarmUp() {}

  /**
   * Runs the round on {@code m}'s orchestrator and waits until it is projected; null when {@code
   * bench.warmupTasks} is 0 or the orchestrator is external.
   */
  static @Nullable Result run(BenchConfig c, Mesh m, Report report, String phase) throws Exception {
    return run(c, m, report, phase, c.warmupTasks());
  }

  /** As {@link #run(BenchConfig, Mesh, Report, String)}, with {@code n} tasks (0: none). */
  static @Nullable Result run(BenchConfig c, Mesh m, Report report, String phase, int n)
      throws Exception {
    if (n == 0 || m.external()) {
      return null;
    }
    String run = "w" + shortId();
    SubmitResult s =
        Driver.submit(m.natsUrl(), run, 0, n, c.submitters(), c.window(), c.phaseTimeout());
    report.check(phase + " warm-up submit", s);
    if (!m.awaitProjected(m.streamLast(), c.phaseTimeout())) {
      report.problems().add(phase + " warm-up: not projected in " + c.phaseTimeout());
    }
    ClaimRun r =
        Driver.claimLoop(
            Driver.TASKS, m.natsUrl(), run, c.claimers(), n, 0, null, 0, c.phaseTimeout());
    report.check(phase + " warm-up drain", r);
    if (!m.awaitProjected(m.streamLast(), c.phaseTimeout())) {
      report.problems().add(phase + " warm-up: its drain not projected in " + c.phaseTimeout());
    }
    Result result = new Result(s, r);
    say("  warm-up round, not counted: %s", result.summary());
    return result;
  }
}
