package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Given a tally and a rule, when convergence is decided, then each type reads its own columns.
 * Properties over generated rounds are in {@link ConvergencePropertiesTest}.
 */
class ConvergenceTest {

  private static CollabConvergence rule(ConvergenceType type, double threshold, int quorum) {
    return new CollabConvergence(type, threshold, null, quorum, null, null, null);
  }

  /** {@code valid} votes of which {@code converged} converged, {@code failed} parse failures. */
  private static CollabTally tally(int valid, int converged, int failed, int metricPassed, Vote c) {
    return new CollabTally(
        valid + failed, valid, converged, valid - converged, 0, failed, metricPassed, 0, c, null);
  }

  @Test
  void unanimous_converges_whenEveryValidVoteConverged_andNothingFailedToParse() {
    CollabConvergence u = rule(ConvergenceType.UNANIMOUS, 0.66, 2);
    assertThat(Convergence.converged(u, tally(3, 3, 0, 0, null))).isTrue();
    assertThat(Convergence.converged(u, tally(3, 2, 0, 0, null))).isFalse();
    assertThat(Convergence.converged(u, tally(3, 3, 1, 0, null))).isFalse();
  }

  @Test
  void majority_converges_whenQuorumReached_andTheShareMeetsTheThreshold() {
    CollabConvergence m = rule(ConvergenceType.MAJORITY, 0.66, 3);
    assertThat(Convergence.converged(m, tally(3, 2, 0, 0, null))).isTrue(); // 0.667
    assertThat(Convergence.converged(m, tally(2, 2, 5, 0, null))).as("below quorum").isFalse();
    assertThat(Convergence.converged(m, tally(4, 2, 0, 0, null))).isFalse(); // 0.5
    assertThat(
            Convergence.converged(rule(ConvergenceType.MAJORITY, 0.5, 3), tally(4, 2, 0, 0, null)))
        .isTrue();
  }

  @Test
  void coordinator_converges_onTheCoordinatorsConvergedVote_only() {
    CollabConvergence c = rule(ConvergenceType.COORDINATOR, 0.66, 2);
    assertThat(Convergence.converged(c, tally(2, 0, 0, 0, Vote.CONVERGED))).isTrue();
    assertThat(Convergence.converged(c, tally(2, 2, 0, 0, Vote.CONTINUE))).isFalse();
    assertThat(Convergence.converged(c, tally(2, 2, 0, 0, null))).isFalse();
  }

  @Test
  void metric_converges_whenEveryValidReflectionPassedTheMetric() {
    CollabConvergence m = rule(ConvergenceType.METRIC, 0.66, 2);
    assertThat(Convergence.converged(m, tally(2, 0, 1, 2, null))).isTrue();
    assertThat(Convergence.converged(m, tally(3, 3, 0, 2, null))).isFalse();
    assertThat(
            Convergence.converged(rule(ConvergenceType.METRIC, 0.66, 0), tally(0, 0, 1, 0, null)))
        .as("no valid reflection")
        .isFalse();
  }

  @Test
  void noType_converges_withoutAReflection_evenWithQuorumZero() {
    for (ConvergenceType type : ConvergenceType.values()) {
      assertThat(Convergence.converged(rule(type, 0.5, 0), tally(0, 0, 0, 0, Vote.CONVERGED)))
          .as(type.wire())
          .isFalse();
    }
  }

  @Test
  void outcome_isConverged_maxRoundsAtTheLastRound_elseNextRound() {
    assertThat(Convergence.outcome(true, 5, 5)).isEqualTo("converged");
    assertThat(Convergence.outcome(false, 5, 5)).isEqualTo("max_rounds");
    assertThat(Convergence.outcome(false, 4, 5)).isEqualTo("next_round");
  }

  private static CollabConvergence scoreRule(String threshold, MetricDirection direction) {
    return new CollabConvergence(
        ConvergenceType.METRIC, 0.66, "score.sh", 1, null, new BigDecimal(threshold), direction);
  }

  /**
   * Two valid reflections, {@code passed} of them reporting the metric passed, best score given.
   */
  private static CollabTally scored(int passed, String best) {
    return new CollabTally(
        2, 2, 0, 2, 0, 0, passed, 2 - passed, null, best == null ? null : new BigDecimal(best));
  }

  @Test
  void metricWithAThreshold_converges_whenTheBestScoreMeetsIt_higher() {
    CollabConvergence r = scoreRule("0.9", MetricDirection.HIGHER);
    assertThat(Convergence.converged(r, scored(0, "0.9"))).as("at the threshold").isTrue();
    assertThat(Convergence.converged(r, scored(0, "0.95"))).isTrue();
    assertThat(Convergence.converged(r, scored(2, "0.8999"))).as("just under").isFalse();
  }

  @Test
  void metricWithAThreshold_converges_whenTheBestScoreMeetsIt_lower() {
    CollabConvergence r = scoreRule("120", MetricDirection.LOWER);
    assertThat(Convergence.converged(r, scored(0, "120"))).isTrue();
    assertThat(Convergence.converged(r, scored(0, "119.5"))).isTrue();
    assertThat(Convergence.converged(r, scored(2, "120.01"))).isFalse();
    assertThat(Convergence.converged(scoreRule("120", null), scored(0, "119.5")))
        .as("no direction reads as higher")
        .isFalse();
  }

  @Test
  void metricWithAThreshold_butNoScoreInTheRound_fallsBackToEveryCheckPassed() {
    CollabConvergence r = scoreRule("0.9", MetricDirection.HIGHER);
    assertThat(Convergence.converged(r, scored(2, null))).isTrue();
    assertThat(Convergence.converged(r, scored(1, null))).isFalse();
  }

  @Test
  void metricWithoutAThreshold_ignoresScores() {
    CollabConvergence r = rule(ConvergenceType.METRIC, 0.66, 1);
    assertThat(Convergence.converged(r, scored(1, "1000"))).isFalse();
    assertThat(Convergence.converged(r, scored(2, "-1000"))).isTrue();
  }
}
