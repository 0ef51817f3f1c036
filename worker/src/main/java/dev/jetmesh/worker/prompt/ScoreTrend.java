package dev.jetmesh.worker.prompt;

import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.MetricScore;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The scores of earlier attempts and where they are heading, as a retry prompt shows them: {@code
 * improving} when the last score is better than the one before it by the task's direction, {@code
 * worsening} when it is worse, {@code flat} when equal. Attempts without a score are skipped; one
 * score has no trend. Stateless.
 */
public final class ScoreTrend {
  /** Where the scores are heading. */
  public enum Trend {
    IMPROVING,
    WORSENING,
    FLAT;

    /** The word the prompt uses. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private ScoreTrend() {}

  /** The scores of {@code previous}, oldest first, skipping attempts without one. */
  public static List<BigDecimal> scores(List<PreviousAttempt> previous) {
    List<BigDecimal> out = new ArrayList<>();
    for (PreviousAttempt p : previous) {
      if (p.score() != null) {
        out.add(p.score());
      }
    }
    return out;
  }

  /** The trend of the last two scores, or null with fewer than two. */
  public static @Nullable Trend of(List<BigDecimal> scores, @Nullable MetricDirection direction) {
    if (scores.size() < 2) {
      return null;
    }
    BigDecimal last = scores.get(scores.size() - 1);
    BigDecimal before = scores.get(scores.size() - 2);
    MetricDirection d = MetricDirection.orDefault(direction);
    if (d.better(last, before)) {
      return Trend.IMPROVING;
    }
    return d.better(before, last) ? Trend.WORSENING : Trend.FLAT;
  }

  /**
   * The prompt's section, or empty when no earlier attempt had a score: the scores oldest first,
   * which way is better and the target, and the trend.
   */
  static String section(
      List<PreviousAttempt> previous,
      @Nullable BigDecimal threshold,
      @Nullable MetricDirection direction) {
    return section(scores(previous), "the previous attempts", threshold, direction);
  }

  /**
   * The section for scores of earlier {@code whose} ("the previous attempts", "the previous
   * rounds"), oldest first; empty without scores.
   */
  public static String section(
      List<BigDecimal> scores,
      String whose,
      @Nullable BigDecimal threshold,
      @Nullable MetricDirection direction) {
    if (scores.isEmpty()) {
      return "";
    }
    MetricDirection d = MetricDirection.orDefault(direction);
    StringBuilder b = new StringBuilder("## Metric Scores\n");
    b.append("Scores of ")
        .append(whose)
        .append(", oldest first (")
        .append(d.wire())
        .append(" is better");
    if (threshold != null) {
      b.append("; the task passes at ").append(target(threshold, d));
    }
    b.append("):\n");
    List<String> texts = new ArrayList<>();
    scores.forEach(s -> texts.add(MetricScore.text(s)));
    b.append(String.join(" -> ", texts)).append('\n');
    Trend t = of(scores, d);
    if (t != null) {
      b.append("Trend: ")
          .append(t.word())
          .append(" (")
          .append(texts.get(texts.size() - 2))
          .append(" -> ")
          .append(texts.get(texts.size() - 1))
          .append(").\n");
    }
    return b.append('\n').toString();
  }

  /**
   * What the metric must do, as the line before the command: exit 0, or, with a threshold, print a
   * score that meets it.
   */
  public static String verification(@Nullable BigDecimal threshold, @Nullable MetricDirection d) {
    if (threshold == null) {
      return "Run this command from the repository root; it must exit with code 0:";
    }
    return "Run this command from the repository root; it prints a score, which must be "
        + target(threshold, d)
        + " ("
        + MetricDirection.orDefault(d).wire()
        + " is better):";
  }

  /** {@code 0.9 or more}, {@code 120 or less}. */
  static String target(BigDecimal threshold, @Nullable MetricDirection direction) {
    return MetricScore.text(threshold)
        + (MetricDirection.orDefault(direction) == MetricDirection.HIGHER
            ? " or more"
            : " or less");
  }
}
