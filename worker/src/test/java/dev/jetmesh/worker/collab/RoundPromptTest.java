package dev.jetmesh.worker.collab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.testing.Tasks;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundPromptTest {
  private final Task task =
      Tasks.claimed("t1", "Fix the parser", "Make it strict.", "make test", "claude", 30, "n1");

  private static CollabWire.Round round(
      int n, String intel, List<String> scope, String role, String mode, String turn) {
    return new CollabWire.Round(
        "s1", "t1", n, intel, scope, role, mode, turn, "shared", null, null, null, List.of());
  }

  @Test
  void roundOne_includesItsIntel_soIntraRoundTurnsAreNotLost() {
    String intra = "=== INTRA-ROUND 1 (turns so far) ===\n## Turn: n0\nSummary: did a";
    String p =
        RoundPrompt.build(task, round(1, intra, List.of("*"), "worker", "sequential", "n1"), "n1");
    assertThat(p)
        .startsWith("# Collaboration round 1: Fix the parser")
        .contains("Mode: sequential. Your role: worker.")
        .contains("## Shared Intelligence")
        .contains(intra)
        .contains("Make it strict.")
        .contains("    make test")
        .contains("## Scope\nThe whole repository.");
  }

  @Test
  void emptyIntel_hasNoIntelSection_andEndsWithTheJsonReflectionRules() {
    String p = RoundPrompt.build(task, round(1, "", List.of(), null, null, null), "n1");
    assertThat(p).doesNotContain("## Shared Intelligence").contains("Mode: parallel");
    assertThat(p)
        .contains("```json\n{\"reflection\": {\"summary\":")
        .contains("\"vote\": \"continue\"}}\n```")
        .contains("converged")
        .contains("blocked");
  }

  @Test
  void reviewOnlyScope_isAReadOnlyReviewerPrompt() {
    List<String> scope = List.of("[REVIEW-ONLY] src/a.java", "[REVIEW-ONLY] src/b.java");
    assertThat(RoundPrompt.access(scope)).isEqualTo(RoundPrompt.Access.REVIEW_ONLY);
    assertThat(RoundPrompt.paths(scope)).containsExactly("src/a.java", "src/b.java");
    String p = RoundPrompt.build(task, round(2, "", scope, "reviewer", "review", null), "n2");
    assertThat(p)
        .contains("Your role: reviewer.")
        .contains("## Scope (REVIEW ONLY)")
        .contains("do NOT create, modify or delete any file")
        .contains("- src/a.java\n- src/b.java")
        .doesNotContain("[REVIEW-ONLY]");
  }

  @Test
  void leaderScope_isWritable() {
    List<String> scope = List.of("src/a.java");
    assertThat(RoundPrompt.access(scope)).isEqualTo(RoundPrompt.Access.WRITE);
    String p = RoundPrompt.build(task, round(1, "", scope, "leader", "review", null), "n1");
    assertThat(p)
        .contains("Your role: leader.")
        .contains("Only change files within these paths:\n- src/a.java");
  }

  @Test
  void noScopeAssigned_changesNothing() {
    List<String> scope = List.of("[NO-SCOPE-ASSIGNED]");
    assertThat(RoundPrompt.access(scope)).isEqualTo(RoundPrompt.Access.NONE);
    assertThat(RoundPrompt.build(task, round(1, "", scope, "worker", "parallel", null), "n3"))
        .contains("No paths were assigned to you this round: do not modify any file.");
  }

  @Test
  void sequentialTurn_isOurs_onlyWhenNamedOrUnnamed() {
    assertThat(RoundLoop.ourTurn(round(1, "", List.of(), null, "sequential", "n1"), "n1")).isTrue();
    assertThat(RoundLoop.ourTurn(round(1, "", List.of(), null, "sequential", "n2"), "n1"))
        .isFalse();
    assertThat(RoundLoop.ourTurn(round(1, "", List.of(), null, "sequential", null), "n1")).isTrue();
    assertThat(RoundLoop.ourTurn(round(1, "", List.of(), null, "parallel", "n2"), "n1")).isTrue();
  }

  private static CollabWire.Round coordinated(String coordinator) {
    return new CollabWire.Round(
        "s1",
        "t1",
        1,
        "",
        List.of("*"),
        "worker",
        "parallel",
        null,
        "shared",
        null,
        coordinator,
        false,
        List.of());
  }

  @Test
  void coordinator_isToldItsVoteDecides_othersWhoseVoteDecides() {
    assertThat(RoundPrompt.build(task, coordinated("n1"), "n1"))
        .contains(
            "You coordinate this session: your vote decides whether it ends after this round");
    assertThat(RoundPrompt.build(task, coordinated("n1"), "n2"))
        .contains("Node n1 coordinates this session: its vote decides whether it ends.")
        .doesNotContain("You coordinate");
    assertThat(RoundPrompt.build(task, coordinated(null), "n2")).doesNotContain("coordinate");
  }

  private static CollabWire.Round withScores(int n, List<CollabWire.RoundScores> scores) {
    return new CollabWire.Round(
        "s1",
        "t1",
        n,
        "",
        List.of("*"),
        "worker",
        "parallel",
        null,
        "shared",
        null,
        null,
        null,
        scores);
  }

  private static CollabWire.RoundScores scores(int round, Map<String, String> byNode) {
    Map<String, BigDecimal> m = new java.util.LinkedHashMap<>();
    byNode.forEach((k, v) -> m.put(k, new BigDecimal(v)));
    return new CollabWire.RoundScores(round, m);
  }

  @Test
  void laterRound_showsTheThreshold_andEachEarlierRoundsBestScore_withTheirTrend() {
    Task lower = Tasks.withScoreTarget(task, new BigDecimal("100"), MetricDirection.LOWER);
    // given round 2 printed 140 and 120, round 1 printed 130 and 150; sent out of order
    String p =
        RoundPrompt.build(
            lower,
            withScores(
                3,
                List.of(
                    scores(2, Map.of("n0", "140", "n1", "120")),
                    scores(1, Map.of("n0", "130", "n1", "150")))),
            "n1");
    assertThat(p)
        .contains(
            "it prints a score, which must be 100 or less (lower is better):\n\n    make test")
        .contains(
            "Scores of the previous rounds (the best of each round), oldest first (lower is"
                + " better; the task passes at 100 or less):\n"
                + "130 -> 120\n"
                + "Trend: improving (130 -> 120).\n");
  }

  @Test
  void firstRound_orNoScores_keepsTheExitCodeRule_andShowsNoScores() {
    String p = RoundPrompt.build(task, withScores(1, List.of()), "n1");
    assertThat(p)
        .contains("it must exit with code 0:\n\n    make test")
        .doesNotContain("## Metric Scores");
  }
}
