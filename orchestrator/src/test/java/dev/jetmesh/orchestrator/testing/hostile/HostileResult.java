package dev.jetmesh.orchestrator.testing.hostile;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of one {@link HostileRun}, and its three outcomes: the process still serves ({@link
 * #serving()} is empty), nothing changed ({@link #changes()} is empty), and every request got the
 * coded refusal it expected ({@link #holes()} is empty).
 */
public final class HostileResult {
  private final long seed;
  private final int makers;
  private final Tally tally;
  private final StateSnapshot before;
  private final StateSnapshot after;
  private final Duration took;
  private final ProcessStats memBefore;
  private final ProcessStats memAfter;
  private final String serving;

  HostileResult(
      long seed,
      int makers,
      Tally tally,
      StateSnapshot before,
      StateSnapshot after,
      Duration took,
      ProcessStats memBefore,
      ProcessStats memAfter,
      String serving) {
    this.seed = seed;
    this.makers = makers;
    this.tally = tally;
    this.before = before;
    this.after = after;
    this.took = took;
    this.memBefore = memBefore;
    this.memAfter = memAfter;
    this.serving = serving;
  }

  /** Requests that expected a reply. */
  public long requests() {
    return tally.requests();
  }

  /** Health beats published (no reply expected). */
  public long published() {
    return tally.published();
  }

  /** Probes per subject or route template. */
  public Map<String, Long> perTarget() {
    return tally.perTarget();
  }

  /** Replies per code. */
  public Map<String, Long> perCode() {
    return tally.perCode();
  }

  /** One line per kind of hole, with its count; empty when every reply was as expected. */
  public List<String> holes() {
    return tally.holes().entrySet().stream()
        .map(
            e ->
                e.getValue()
                    + " x "
                    + e.getKey().target()
                    + " ["
                    + e.getKey().category()
                    + "]: "
                    + e.getKey().reason())
        .toList();
  }

  /** What changed in the stream or the database; empty when nothing. */
  public List<String> changes() {
    return after.changesSince(before);
  }

  /** Empty when the process still serves; else what is wrong. */
  public String serving() {
    return serving;
  }

  public Duration took() {
    return took;
  }

  /** The figures as Markdown. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    double secs = took.toMillis() / 1000.0;
    sb.append(
        String.format(
            Locale.ROOT,
            "Hostile input: seed %d, %d makers, %,d requests + %,d health beats in %.1f s (%,.0f/s)%n%n",
            seed,
            makers,
            requests(),
            published(),
            secs,
            (requests() + published()) / secs));
    sb.append("| outcome | result |\n|---|---|\n");
    sb.append("| still serving | ")
        .append(serving.isEmpty() ? "yes" : "NO: " + serving)
        .append(" |\n");
    sb.append("| state changes | ")
        .append(changes().size())
        .append(" (stream last seq ")
        .append(before.lastSeq())
        .append(" -> ")
        .append(after.lastSeq())
        .append(", ")
        .append(after.subjects().size())
        .append(" subjects, ")
        .append(after.tables().size())
        .append(" tables hashed) |\n");
    sb.append("| replies not as expected | ")
        .append(tally.holes().values().stream().mapToLong(Long::longValue).sum())
        .append(" |\n");
    sb.append("| orchestrator before | ").append(memBefore.describe()).append(" |\n");
    sb.append("| orchestrator after | ").append(memAfter.describe()).append(" |\n\n");
    sb.append("Replies by code: ").append(codes(perCode())).append("\n\n");
    table(sb, "subject or route", perTarget(), tally.codesPerTarget());
    sb.append('\n');
    table(sb, "attack", tally.perCategory(), tally.codesPerCategory());
    if (!holes().isEmpty()) {
      sb.append("\nHoles:\n");
      holes().forEach(h -> sb.append("- ").append(h).append('\n'));
      sb.append("\nExamples:\n");
      tally
          .examples()
          .forEach(
              x ->
                  sb.append("- ")
                      .append(x.kind().target())
                      .append(" [")
                      .append(x.kind().category())
                      .append("] ")
                      .append(x.kind().reason())
                      .append("\n    sent: ")
                      .append(x.request())
                      .append("\n    got:  ")
                      .append(x.reply())
                      .append('\n'));
    }
    if (!changes().isEmpty()) {
      sb.append("\nState changes:\n");
      changes().forEach(c -> sb.append("- ").append(c).append('\n'));
    }
    return sb.toString();
  }

  /** One row per key: how many were sent, and the replies by code ("(published)": none due). */
  private static void table(
      StringBuilder sb,
      String what,
      Map<String, Long> sent,
      Map<String, Map<String, Long>> replies) {
    sb.append("| ").append(what).append(" | sent | replies by code |\n|---|---:|---|\n");
    sent.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                sb.append("| `")
                    .append(e.getKey())
                    .append("` | ")
                    .append(e.getValue())
                    .append(" | ")
                    .append(
                        replies.containsKey(e.getKey())
                            ? codes(replies.get(e.getKey()))
                            : "(published)")
                    .append(" |\n"));
  }

  private static String codes(Map<String, Long> m) {
    return m.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
