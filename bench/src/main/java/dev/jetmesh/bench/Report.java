package dev.jetmesh.bench;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.jetmesh.bench.Driver.ClaimRun;
import dev.jetmesh.bench.Driver.SubmitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.HdrHistogram.Histogram;

/**
 * The markdown report the phases append to, the problems they find (any problem makes the run exit
 * with 1), and the formatting they share.
 */
final class Report {
  private final StringBuilder md = new StringBuilder();
  private final List<String> problems = new ArrayList<>();
  private final Duration phaseTimeout;

  Report(Duration phaseTimeout) {
    this.phaseTimeout = phaseTimeout;
  }

  StringBuilder md() {
    return md;
  }

  List<String> problems() {
    return problems;
  }

  void check(String what, SubmitResult s) {
    if (s.failed() > 0) {
      problems.add(
          what + ": " + s.failed() + " failed submissions (first: " + s.firstError() + ")");
    }
  }

  void check(String what, ClaimRun r) {
    if (r.errors() > 0) {
      problems.add(what + ": " + r.errors() + " errors (first: " + r.firstError() + ")");
    }
    if (r.timedOut()) {
      problems.add(what + ": did not finish within " + phaseTimeout);
    }
  }

  void latencyRow(String name, Histogram h) {
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

  void row(String k, String v) {
    md.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  @FormatMethod
  static void say(@FormatString String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
  }

  static String secs(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}
