package dev.jetmesh.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of the table: a fault, how often it was injected, the audit's figures, how long the mesh
 * took to answer again, and whether its own check held. Immutable.
 */
record Row(
    String fault,
    int runs,
    long acknowledged,
    long projected,
    long lost,
    long duplicated,
    long leftClaimed,
    String recover,
    List<String> failures,
    String note) {

  /** An audit column of a row with no load to audit: printed as a dash, not as a zero. */
  static final long NOT_MEASURED = -1;

  Row {
    failures = List.copyOf(failures);
  }

  boolean ok() {
    return lost <= 0 && duplicated <= 0 && failures.isEmpty();
  }

  static Row of(
      String fault, int runs, Audit.Result a, String recover, List<String> checks, String note) {
    List<String> f = new ArrayList<>(checks);
    f.addAll(a.problems());
    if (a.leftClaimed() > 0) {
      f.add(a.leftClaimed() + " tasks left claimed");
    }
    return new Row(
        fault,
        runs,
        a.acknowledged(),
        a.projected(),
        a.lost(),
        a.duplicated(),
        a.leftClaimed(),
        recover,
        f,
        note);
  }

  /**
   * A fault whose check is not about a load's events: its audit columns say "not measured" (its own
   * check is in the last column).
   */
  static Row check(String fault, int runs, String recover, List<String> failures, String note) {
    long n = NOT_MEASURED;
    return new Row(fault, runs, n, n, n, n, n, recover, failures, note);
  }

  static String header() {
    return "| fault | runs | events acknowledged | events projected | lost | duplicated"
        + " | tasks left claimed by a dead node | time to recover | check |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---|---|\n";
  }

  String markdown() {
    String check =
        ok()
            ? "ok" + (note.isEmpty() ? "" : ": " + note)
            : "**FAILED**: " + String.join("; ", failures);
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
        fault,
        runs,
        figure(acknowledged),
        figure(projected),
        figure(lost),
        figure(duplicated),
        figure(leftClaimed),
        recover,
        check);
  }

  private static String figure(long n) {
    return n == NOT_MEASURED ? "–" : String.format(Locale.ROOT, "%,d", n);
  }

  /** "median m ms, max x ms" of {@code millis}, or "-" when empty. */
  static String spread(List<Long> millis) {
    if (millis.isEmpty()) {
      return "-";
    }
    List<Long> s = millis.stream().sorted().toList();
    return String.format(
        Locale.ROOT,
        "median %.1f s, max %.1f s",
        s.get(s.size() / 2) / 1e3,
        s.get(s.size() - 1) / 1e3);
  }
}
