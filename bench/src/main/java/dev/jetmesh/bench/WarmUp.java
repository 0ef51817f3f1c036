package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.fmt;
import static dev.jetmesh.bench.Report.say;
import static dev.jetmesh.bench.Report.shortId;

import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A round of submissions and claim → start → complete cycles, unmeasured, before a phase measures a
 * freshly started orchestrator process. Such a JVM is still compiling its hot paths for the first
 * tens of thousands of requests: a profile of the end-to-end phase without it showed the compiler
 * threads busy through the whole drain (34 s of compiler-thread time in a 41 s recording), a cost a
 * mesh that runs for days pays once. The round's own rates are reported beside the measured ones,
 * as what a freshly started orchestrator does.
 */
final class WarmUp {
  /** The warm-up round's submissions and drain. */
  record Result(SubmitResult submit, ClaimRun drain) {
    /** One line for the report. */
    String summary() {
      return String.format(
          Locale.ROOT,
          "%,d tasks: submit %s tasks/s, drain %s tasks/s",
          submit.ok(),
          fmt(submit.perSecond()),
          fmt(drain.perSecond()));
    }
  }

  private WarmUp() {}

  /** Runs the round on {@code m}'s orchestrator; null when {@code bench.warmupTasks} is 0. */
  static @Nullable Result run(BenchConfig c, Mesh m, Report report, String phase) throws Exception {
    int n = c.warmupTasks();
    if (n == 0) {
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
    Result result = new Result(s, r);
    say("  warm-up round, unmeasured: %s", result.summary());
    return result;
  }
}
