package dev.jetmesh.worker.collab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Given the coordinator's reflection, when its verdict is derived, then the vote and reason. */
class CoordinatorVerdictTest {
  private static Reflection reflection(String vote, String summary, boolean parseFailed) {
    return new Reflection(summary, "", 0.8, vote, parseFailed);
  }

  @Test
  void convergedReflection_votesConverged_givingTheReflectionsVoteAndSummary() {
    assertThat(CoordinatorVerdict.of(reflection("converged", "  tests pass\n now ", false)))
        .isEqualTo(new CoordinatorVerdict("converged", "converged: tests pass now"));
  }

  @Test
  void continueAndBlocked_voteContinue_andSayWhichItWas() {
    assertThat(CoordinatorVerdict.of(reflection("continue", "half done", false)))
        .isEqualTo(new CoordinatorVerdict("continue", "continue: half done"));
    assertThat(CoordinatorVerdict.of(reflection("blocked", "", false)))
        .isEqualTo(new CoordinatorVerdict("continue", "blocked"));
  }

  @Test
  void unparsedReflection_votesContinue_evenIfItsTextSaidConverged() {
    assertThat(CoordinatorVerdict.of(reflection("converged", "garbled", true)))
        .isEqualTo(new CoordinatorVerdict("continue", "own reflection did not parse"));
  }

  @Test
  void longSummary_isCutInTheReason() {
    CoordinatorVerdict v = CoordinatorVerdict.of(reflection("converged", "x".repeat(500), false));
    assertThat(v.reason())
        .isEqualTo("converged: " + "x".repeat(CoordinatorVerdict.SUMMARY_CHARS) + "...");
  }
}
