package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.T0;
import static dev.jetmesh.orchestrator.collab.CollabGiven.created;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Vote;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Given a session's events, when a member's round notification is built, then what it carries. */
class CollabNotifierTest {

  private static RoundStarted round(int n) {
    List<CollabAssignment> a =
        List.of(
            new CollabAssignment("n1", "worker", List.of("*")),
            new CollabAssignment("n2", "worker", List.of("*")));
    return new RoundStarted(n, "", a, List.of(), null, null);
  }

  private static ReflectionSubmitted scored(int round, String node, String score) {
    return new ReflectionSubmitted(
        round,
        new CollabReflection(
            node,
            "did it",
            "",
            List.of(),
            0.8,
            Vote.CONTINUE,
            false,
            false,
            score == null ? null : new BigDecimal(score),
            null,
            T0));
  }

  @Test
  void roundScores_carryEveryEarlierRoundsScores_byNode_butNotTheCurrentRounds() {
    CollabSession s =
        given(
            created(spec()),
            joined("n1"),
            joined("n2"),
            new RecruitingClosed("join_window", List.of("n1", "n2")),
            round(1),
            scored(1, "n1", "10"),
            scored(1, "n2", null),
            round(2),
            scored(2, "n1", "12.5"),
            scored(2, "n2", "9"),
            round(3),
            scored(3, "n1", "30"));

    Map<String, Object> m = CollabNotifier.assignment(s, "n2");

    assertThat(m.get("round_scores"))
        .isEqualTo(
            List.of(
                Map.of("round_number", 1, "scores", Map.of("n1", new BigDecimal("10"))),
                Map.of(
                    "round_number",
                    2,
                    "scores",
                    Map.of("n1", new BigDecimal("12.5"), "n2", new BigDecimal("9")))));
  }

  @Test
  void roundScores_areEmpty_inTheFirstRound_andWhenNoRunPrintedAScore() {
    CollabSession first =
        given(
            created(spec()),
            joined("n1"),
            joined("n2"),
            new RecruitingClosed("join_window", List.of("n1", "n2")),
            round(1),
            scored(1, "n1", "10"));
    assertThat(CollabNotifier.assignment(first, "n1").get("round_scores")).isEqualTo(List.of());

    CollabSession unscored =
        given(
            created(spec()),
            joined("n1"),
            joined("n2"),
            new RecruitingClosed("join_window", List.of("n1", "n2")),
            round(1),
            scored(1, "n1", null),
            round(2));
    assertThat(CollabNotifier.assignment(unscored, "n1").get("round_scores")).isEqualTo(List.of());
  }
}
