package dev.jetmesh.worker.collab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.testing.Tasks;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundPromptTest {
  private final Task task =
      Tasks.claimed("t1", "Fix the parser", "Make it strict.", "make test", "claude", 30, "n1");

  private static CollabWire.Round round(
      int n, String intel, List<String> scope, String role, String mode, String turn) {
    return new CollabWire.Round(
        "s1", "t1", n, intel, scope, role, mode, turn, "shared", null, null, null);
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
        false);
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
}
