package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.created;
import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.reflected;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.SessionAborted;
import dev.jetmesh.schema.events.CollabEvent.SessionCompleted;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The result a session hands its parent task, and what an ended session makes of the parent. */
class SessionResultTest {

  private static List<CollabEvent> round1Reflected() {
    List<CollabEvent> e = new ArrayList<>(List.of(created(spec()), joined("n1"), joined("n2")));
    e.addAll(CollabRules.closeRecruiting(given(e), "join_window", CollabGiven.DEFAULT_TIMEOUT));
    e.add(reflected(1, "n1", Vote.CONVERGED));
    e.add(reflected(1, "n2", Vote.CONVERGED));
    return e;
  }

  @Test
  void completed_collectsArtifactsAndContributions_andSummarises() {
    SessionCompleted c = SessionResult.complete(given(round1Reflected()), false);
    assertThat(c.roundsTaken()).isEqualTo(1);
    assertThat(c.result().toString())
        .isEqualTo(
            "{\"artifacts\":[\"n1.txt\",\"n2.txt\"],"
                + "\"summary\":\"Converged after 1 rounds with 2 nodes\",\"rounds_taken\":1,"
                + "\"node_contributions\":{\"n1\":\"did n1\",\"n2\":\"did n2\"}}");
    SessionCompleted max = SessionResult.complete(given(round1Reflected()), true);
    assertThat(max.result().path("summary").asText())
        .isEqualTo("Max rounds (5) reached. 2 nodes participated.");
    assertThat(max.result().path("max_rounds_reached").asBoolean()).isTrue();
  }

  @Test
  void manyMembersWithLongSummariesAndArtifacts_areCutAlike_soThatTheResultStaysUnderItsLimit()
      throws Exception {
    List<CollabEvent> e = new ArrayList<>(List.of(created(spec())));
    int members = 60;
    for (int i = 0; i < members; i++) {
      e.add(joined("n" + i));
    }
    e.addAll(CollabRules.closeRecruiting(given(e), "join_window", CollabGiven.DEFAULT_TIMEOUT));
    for (int i = 0; i < members; i++) {
      List<String> artifacts = new ArrayList<>();
      for (int a = 0; a < CollabRoutes.MAX_ARTIFACTS; a++) {
        artifacts.add("src/n" + i + "/" + "d/".repeat(20) + "f" + a + ".java");
      }
      e.add(
          new CollabEvent.ReflectionSubmitted(
              1,
              new CollabReflection(
                  "n" + i,
                  "é\"".repeat(CollabRoutes.MAX_TEXT / 2),
                  "",
                  artifacts,
                  0.8,
                  Vote.CONVERGED,
                  false,
                  null,
                  null,
                  null,
                  CollabGiven.T0)));
    }

    SessionCompleted c = SessionResult.complete(given(e), false);

    assertThat(Json.mapper().writeValueAsBytes(c.result()).length)
        .isLessThanOrEqualTo(SessionResult.MAX_RESULT_BYTES);
    assertThat(c.result().path("node_contributions").size()).isEqualTo(members);
    assertThat(c.result().path("node_contributions").path("n59").asText())
        .startsWith("é\"")
        .endsWith(" more characters]");
    int kept = c.result().path("artifacts").size();
    assertThat(kept).isPositive();
    assertThat(c.result().path("artifacts_omitted").asInt())
        .isEqualTo(members * CollabRoutes.MAX_ARTIFACTS - kept);
    assertThat(c.result().path("summary").asText())
        .isEqualTo("Converged after 1 rounds with " + members + " nodes");
  }

  @Test
  void parent_isCompleted_released_failed_orLeftAlone_asTheSessionEnded() {
    List<CollabEvent> done = new ArrayList<>(round1Reflected());
    done.add(SessionResult.complete(given(done), false));
    CollabSession completed = given(done);
    assertThat(SessionResult.parentAction(completed).kind()).isEqualTo("complete");
    assertThat(SessionResult.parentAction(completed).result()).isEqualTo(completed.result());

    List<CollabEvent> recruitFailed =
        List.of(
            created(spec()),
            joined("n1"),
            new RecruitingClosed("join_window", List.of("n1")),
            new SessionAborted("recruit_failed", "Not enough nodes: 1 < 2"));
    assertThat(SessionResult.parentAction(given(recruitFailed)))
        .isEqualTo(
            new SessionResult.ParentAction(
                "release", "Collab session failed to recruit: 1/2 nodes", null));

    List<CollabEvent> belowMin = new ArrayList<>(round1Reflected());
    belowMin.add(new SessionAborted("below_min_nodes", "Below min_nodes: 1 < 2"));
    assertThat(SessionResult.parentAction(given(belowMin)))
        .isEqualTo(
            new SessionResult.ParentAction("fail", "Collab aborted: Below min_nodes: 1 < 2", null));

    List<CollabEvent> parentGone = new ArrayList<>(round1Reflected());
    parentGone.add(new SessionAborted("parent_task", "Parent task t1 cancelled: "));
    assertThat(SessionResult.parentAction(given(parentGone)))
        .isEqualTo(SessionResult.ParentAction.NONE);
    assertThat(SessionResult.parentAction(given(round1Reflected())))
        .isEqualTo(SessionResult.ParentAction.NONE);
  }
}
