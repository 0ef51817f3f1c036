package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.failed;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflection;
import static dev.jetmesh.orchestrator.collab.CollabGiven.round;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabTally;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Vote;
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
}
