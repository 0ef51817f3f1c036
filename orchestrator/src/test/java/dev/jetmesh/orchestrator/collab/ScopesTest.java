package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given the live members, the mode, the strategy and the scope, then each member's assignment. */
class ScopesTest {
  private static final List<CollabNode> LIVE =
      List.of(
          new CollabNode("a", "worker", Instant.EPOCH, "active"),
          new CollabNode("b", "tester", Instant.EPOCH, "active"));

  @Test
  void shared_givesEveryoneTheWholeScope_withTheirOwnRole() {
    assertThat(Scopes.assign(LIVE, CollabMode.PARALLEL, "shared", List.of("x", "y")))
        .containsExactly(
            new CollabAssignment("a", "worker", List.of("x", "y")),
            new CollabAssignment("b", "tester", List.of("x", "y")));
    assertThat(Scopes.assign(LIVE, CollabMode.PARALLEL, "shared", List.of()).get(0).scope())
        .containsExactly("*");
  }

  @Test
  void reviewMode_orLeaderOnly_makesTheFirstTheLeader_andTheOthersReadOnlyReviewers() {
    List<CollabAssignment> expected =
        List.of(
            new CollabAssignment("a", "leader", List.of("x")),
            new CollabAssignment("b", "reviewer", List.of("[REVIEW-ONLY] x")));
    assertThat(Scopes.assign(LIVE, CollabMode.REVIEW, "shared", List.of("x"))).isEqualTo(expected);
    assertThat(Scopes.assign(LIVE, CollabMode.PARALLEL, "leader_only", List.of("x")))
        .isEqualTo(expected);
  }

  @Test
  void partitioned_dealsThePathsRoundRobin_andMarksAnEmptyShare() {
    assertThat(Scopes.assign(LIVE, CollabMode.PARALLEL, "partitioned", List.of("x", "y", "z")))
        .extracting(CollabAssignment::scope)
        .containsExactly(List.of("x", "z"), List.of("y"));
    assertThat(Scopes.assign(LIVE, CollabMode.PARALLEL, "partitioned", List.of("x")))
        .extracting(CollabAssignment::scope)
        .containsExactly(List.of("x"), List.of("[NO-SCOPE-ASSIGNED]"));
  }
}
