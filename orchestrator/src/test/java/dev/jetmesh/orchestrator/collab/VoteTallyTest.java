package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.failed;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflection;
import static dev.jetmesh.orchestrator.collab.CollabGiven.round;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.MetricDirection;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a round's reflections, when they are counted, then each lands in exactly one column. */
class VoteTallyTest {

  @Test
  void tally_countsEachVote_andTheMetricReports() {
    CollabTally t =
        VoteTally.of(
            round(
                List.of(
                    reflection("a", Vote.CONVERGED, true),
                    reflection("b", Vote.CONTINUE, false),
                    reflection("c", Vote.BLOCKED, null),
                    reflection("d", Vote.CONVERGED, true)),
                Vote.CONTINUE));
    assertThat(t).isEqualTo(new CollabTally(4, 4, 2, 1, 1, 0, 2, 1, Vote.CONTINUE, null));
  }

  @Test
  void parseFailure_isCountedAsOne_andNeverAsAVote_whateverItsVoteText() {
    CollabReflection saidConverged =
        new CollabReflection(
            "x", "", "", List.of(), 0.5, Vote.CONVERGED, true, null, null, null, Instant.EPOCH);
    CollabReflection saidMaybe =
        new CollabReflection(
            "y",
            "",
            "",
            List.of(),
            0.5,
            new ReflectionVote.Unparsed("maybe"),
            true,
            null,
            null,
            null,
            Instant.EPOCH);
    CollabTally t =
        VoteTally.of(
            round(
                List.of(failed("a"), saidConverged, saidMaybe, reflection("b", Vote.CONVERGED)),
                null));
    assertThat(t).isEqualTo(new CollabTally(4, 1, 1, 0, 0, 3, 0, 0, null, null));
  }

  @Test
  void emptyRound_countsNothing() {
    assertThat(VoteTally.of(round(List.of(), null)))
        .isEqualTo(new CollabTally(0, 0, 0, 0, 0, 0, 0, 0, null, null));
  }

  private static CollabReflection scored(String node, String score, boolean parseFailed) {
    return new CollabReflection(
        node,
        "",
        "",
        List.of(),
        0.5,
        parseFailed ? ReflectionVote.Unparsed.PARSE_ERROR : Vote.CONTINUE,
        parseFailed,
        null,
        score == null ? null : new BigDecimal(score),
        null,
        Instant.EPOCH);
  }

  @Test
  void bestScore_isTheHighest_orTheLowest_byDirection_ofTheValidReflections() {
    List<CollabReflection> rs =
        List.of(
            scored("a", "0.7", false),
            scored("b", null, false),
            scored("c", "0.91", false),
            scored("d", "-2", false));
    assertThat(VoteTally.of(round(rs, null), MetricDirection.HIGHER).bestScore())
        .isEqualByComparingTo("0.91");
    assertThat(VoteTally.of(round(rs, null)).bestScore())
        .as("no direction: higher")
        .isEqualByComparingTo("0.91");
    assertThat(VoteTally.of(round(rs, null), MetricDirection.LOWER).bestScore())
        .isEqualByComparingTo("-2");
  }

  @Test
  void bestScore_ignoresParseFailures_andIsNullWithoutScores() {
    assertThat(
            VoteTally.of(
                    round(List.of(scored("a", "5", true), scored("b", "1", false)), null),
                    MetricDirection.HIGHER)
                .bestScore())
        .isEqualByComparingTo("1");
    assertThat(VoteTally.of(round(List.of(scored("a", null, false)), null)).bestScore()).isNull();
  }
}
