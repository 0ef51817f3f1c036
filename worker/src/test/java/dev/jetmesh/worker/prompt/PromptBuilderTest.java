package dev.jetmesh.worker.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.testing.Tasks;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {
  private final Task task =
      Tasks.claimed(
          "T-1",
          "Add a greeting",
          "Write hello.txt",
          "test -f hello.txt",
          null,
          30,
          "n1",
          List.of("hello.txt exists", "it says hello"));

  @Test
  void firstAttempt_hasTheReferenceSections() {
    String p = PromptBuilder.build(task, 1, 3, List.of());
    assertThat(p).startsWith("# Task: Add a greeting\n\nWrite hello.txt\n\n");
    assertThat(p).contains("## Success Criteria\n- hello.txt exists\n- it says hello\n");
    assertThat(p)
        .contains("## Verification\n")
        .contains("exit with code 0")
        .contains("    test -f hello.txt");
    assertThat(p).contains("## Instructions\n");
    assertThat(p).doesNotContain("Attempt 1/3").doesNotContain("Previous Attempts");
  }

  @Test
  void retry_namesTheAttempt_andListsPreviousOnes() {
    String p =
        PromptBuilder.build(
            task,
            2,
            3,
            List.of(new PreviousAttempt("Attempt 1: metric failed", "no such file\nexit 1", null)));
    assertThat(p).startsWith("# Task: Add a greeting (Attempt 2/3)\n");
    assertThat(p)
        .contains("## Previous Attempts")
        .contains("- Attempt 1: metric failed\n  Result: no such file\n  exit 1\n");
  }

  @Test
  void optionalSections_areLeftOut() {
    Task bare = Tasks.claimed("T-2", "Just do it", "", null, null, 30, "n1");
    String p = PromptBuilder.build(bare, 1, 3, List.of());
    assertThat(p).doesNotContain("## Success Criteria", "## Verification", "## Scope");
  }

  private static PreviousAttempt scored(int n, String score) {
    return new PreviousAttempt(
        "Attempt " + n + ": metric failed",
        "coverage " + score,
        score == null ? null : new BigDecimal(score));
  }

  @Test
  void retry_showsThePreviousScores_andTheirTrend_byTheTasksDirection() {
    Task higher = Tasks.withScoreTarget(task, new BigDecimal("0.9"), MetricDirection.HIGHER);
    String p =
        PromptBuilder.build(
            higher, 4, 5, List.of(scored(1, "0.42"), scored(2, null), scored(3, "0.61")));
    assertThat(p).contains("- Attempt 3: metric failed\n  Result: coverage 0.61\n  Score: 0.61\n");
    assertThat(p)
        .contains(
            "## Metric Scores\n"
                + "Scores of the previous attempts, oldest first (higher is better; the task passes"
                + " at 0.9 or more):\n"
                + "0.42 -> 0.61\n"
                + "Trend: improving (0.42 -> 0.61).\n");
    assertThat(p)
        .contains(
            "it prints a score, which must be 0.9 or more (higher is better):\n\n"
                + "    test -f hello.txt");

    Task lower = Tasks.withScoreTarget(task, new BigDecimal("100"), MetricDirection.LOWER);
    String q = PromptBuilder.build(lower, 3, 5, List.of(scored(1, "120"), scored(2, "130.5")));
    assertThat(q)
        .contains("(lower is better; the task passes at 100 or less)")
        .contains("120 -> 130.5\nTrend: worsening (120 -> 130.5).");
  }

  @Test
  void trend_isFlat_onEqualScores_andAbsent_withOneScore_orNone() {
    String flat = PromptBuilder.build(task, 3, 3, List.of(scored(1, "7"), scored(2, "7.0")));
    assertThat(flat)
        .contains("(higher is better):\n7 -> 7\nTrend: flat (7 -> 7).")
        .contains("it must exit with code 0");
    String one = PromptBuilder.build(task, 2, 3, List.of(scored(1, "7")));
    assertThat(one).contains("## Metric Scores\n").doesNotContain("Trend:");
    String none = PromptBuilder.build(task, 2, 3, List.of(scored(1, null)));
    assertThat(none).doesNotContain("## Metric Scores").doesNotContain("Score:");
  }

  @Test
  void trendOf_comparesTheLastTwoScores_byDirection() {
    List<BigDecimal> up = List.of(new BigDecimal("3"), new BigDecimal("1"), new BigDecimal("2"));
    assertThat(ScoreTrend.of(up, MetricDirection.HIGHER)).isEqualTo(ScoreTrend.Trend.IMPROVING);
    assertThat(ScoreTrend.of(up, MetricDirection.LOWER)).isEqualTo(ScoreTrend.Trend.WORSENING);
    assertThat(ScoreTrend.of(up, null)).isEqualTo(ScoreTrend.Trend.IMPROVING);
    assertThat(ScoreTrend.of(List.of(new BigDecimal("2")), null)).isNull();
  }
}
