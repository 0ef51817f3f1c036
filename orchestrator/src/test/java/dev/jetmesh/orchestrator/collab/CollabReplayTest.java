package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.DEFAULT_TIMEOUT;
import static dev.jetmesh.orchestrator.collab.CollabGiven.SID;
import static dev.jetmesh.orchestrator.collab.CollabGiven.T0;
import static dev.jetmesh.orchestrator.collab.CollabGiven.created;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflected;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static dev.jetmesh.orchestrator.collab.CollabGiven.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.collab.CollabReplay.RoundVotes;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.Vote;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Given a coordinator session's events (the decisions taken by {@link CollabRules} as the reactor
 * takes them), when it is replayed, then the report says who voted what in which round, and every
 * recomputed decision matches.
 */
class CollabReplayTest {
  private final List<CollabEvent> events = new ArrayList<>();

  private void add(CollabEvent... more) {
    events.addAll(List.of(more));
  }

  /** The rules' next decisions, appended as the reactor appends them. */
  private void step() {
    add(
        CollabRules.step(given(events), T0.plusSeconds(60), Set.of(), DEFAULT_TIMEOUT)
            .toArray(CollabEvent[]::new));
  }

  private List<StoredEvent> stream() {
    List<StoredEvent> out = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      out.add(stored(events.get(i), i + 1, T0.plusSeconds(i)));
    }
    return out;
  }

  @Test
  void replay_listsEachRoundsMemberVotes_andTheCoordinatorsVoteWithItsReason() {
    add(
        created(spec(CollabMode.PARALLEL, ConvergenceType.COORDINATOR, 2)),
        joined("n1"),
        joined("n2"));
    step(); // recruiting closed, round 1
    add(
        reflected(1, "n1", Vote.CONTINUE),
        new CoordinatorVoted(1, "n1", Vote.CONTINUE, "continue: tests missing"),
        reflected(1, "n2", Vote.CONVERGED));
    step(); // evaluated: next round
    step(); // round 2
    add(
        reflected(2, "n2", Vote.BLOCKED),
        reflected(2, "n1", Vote.CONVERGED),
        new CoordinatorVoted(2, "n1", Vote.CONVERGED, "converged: done"));
    step(); // evaluated: converged
    step(); // converged, completed

    CollabReplay.Report r = CollabReplay.replay(SID, stream());

    Map<String, String> round1 = new LinkedHashMap<>();
    round1.put("n1", "continue");
    round1.put("n2", "converged");
    Map<String, String> round2 = new LinkedHashMap<>();
    round2.put("n2", "blocked");
    round2.put("n1", "converged");
    assertThat(r.votes())
        .containsExactly(
            new RoundVotes(1, round1, "n1", "continue", "continue: tests missing", "next_round"),
            new RoundVotes(2, round2, "n1", "converged", "converged: done", "converged"));
    assertThat(r.text())
        .contains(
            "\nvotes:\n"
                + "  round 1: n1 continue, n2 converged | coordinator n1: continue"
                + " (continue: tests missing) -> next_round\n"
                + "  round 2: n2 blocked, n1 converged | coordinator n1: converged"
                + " (converged: done) -> converged\n")
        .contains("coordinator n1 voted converged in round 2: converged: done");
    // a first round has no intel to show, so no empty "intel:" line; the second has round 1's
    assertThat(r.text())
        .doesNotContainPattern("round 1 \\[.*\\n *intel:")
        .containsPattern("round 2 \\[.*\\n *intel: \\S");
    assertThat(r.mismatches()).isZero();
  }

  @Test
  void replay_ofARoundWithoutACoordinatorVote_showsTheMembersVotesOnly() {
    add(
        created(spec(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS, 2)),
        joined("n1"),
        joined("n2"));
    step();
    add(reflected(1, "n1", Vote.CONVERGED), reflected(1, "n2", Vote.CONVERGED));
    step();

    assertThat(CollabReplay.replay(SID, stream()).votes())
        .extracting(RoundVotes::line)
        .containsExactly("round 1: n1 converged, n2 converged -> converged");
  }
}
