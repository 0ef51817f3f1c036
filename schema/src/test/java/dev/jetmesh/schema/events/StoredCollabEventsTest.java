package dev.jetmesh.schema.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.CollabEvent.CoordinatorVoted;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.RoundEvaluated;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Vote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Collab events as streams already hold them (mode, convergence type and votes written as plain
 * strings) decode into the typed records and encode back to the same JSON.
 */
class StoredCollabEventsTest {

  private static String envelope(String type, String payload) {
    return """
        {"event_id":"1c0e5b2a-8f3d-4b7e-9a61-2d4f0c9e7b13","type":"%s","version":1,
        "aggregate":"collab","aggregate_id":"collab-t1-1","occurred_at":"2025-06-02T09:15:30.123Z",
        "actor":"orchestrator","causation_id":null,"payload":%s}
        """
        .formatted(type, payload);
  }

  /**
   * Decodes {@code json}, checks it encodes back to the same tree, returns the payload. Fields
   * added since the event was stored (scores, costs, budgets) come back as null, and only as null.
   */
  private static MeshEvent roundTrip(String json) throws Exception {
    Envelope e = EventCodec.decode(json.getBytes(UTF_8));
    JsonNode stored = Json.mapper().readTree(json);
    JsonNode again = withoutAddedNulls(Json.mapper().readTree(EventCodec.encode(e)), stored);
    assertThat(again).isEqualTo(stored);
    return e.payload();
  }

  /** {@code encoded} without the null fields that {@code stored} does not have. */
  private static JsonNode withoutAddedNulls(JsonNode encoded, JsonNode stored) {
    if (encoded instanceof ObjectNode o && stored.isObject()) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!stored.has(name) && o.get(name).isNull()) {
          o.remove(name);
        } else if (stored.has(name)) {
          o.set(name, withoutAddedNulls(o.get(name), stored.get(name)));
        }
      }
    }
    return encoded;
  }

  @Test
  void storedSessionCreated_decodesModeAndType_andEncodesTheSameStrings() throws Exception {
    String json =
        envelope(
            "collab.session_created",
            """
            {"session_id":"collab-t1-1","task_id":"t1","task_title":"T","task_scope":["a"],
             "spec":{"mode":"sequential","min_nodes":2,"max_nodes":null,"join_window_s":30,
             "max_rounds":5,"convergence":{"type":"majority","threshold":0.66,"metric":null,
             "min_quorum":2,"coordinator":null},"scope_strategy":"shared","round_timeout_s":null}}
            """);
    SessionCreated c = (SessionCreated) roundTrip(json);
    assertThat(c.spec().mode()).isSameAs(CollabMode.SEQUENTIAL);
    assertThat(c.spec().convergence().type()).isSameAs(ConvergenceType.MAJORITY);
    assertThat(c.spec().convergence().scoreThreshold()).isNull();
    assertThat(c.spec().convergence().scoreDirection()).isNull();
    assertThat(c.budgetUsd()).isNull();
  }

  @Test
  void storedReflections_decodeVotes_keepingAFailedReflectionsText() throws Exception {
    String reflection =
        """
        {"round_number":1,"reflection":{"node_id":"n1","summary":"s","learnings":"",
         "artifacts":[],"confidence":0.5,"vote":"%s","parse_failed":%s,"metric_passed":null,
         "submitted_at":"2025-06-02T09:15:30.123Z"}}
        """;
    ReflectionSubmitted ok =
        (ReflectionSubmitted)
            roundTrip(
                envelope("collab.reflection_submitted", reflection.formatted("blocked", false)));
    assertThat(ok.reflection().vote()).isSameAs(Vote.BLOCKED);
    assertThat(ok.reflection().metricScore()).isNull();
    assertThat(ok.reflection().costUsd()).isNull();
    ReflectionSubmitted failed =
        (ReflectionSubmitted)
            roundTrip(
                envelope("collab.reflection_submitted", reflection.formatted("Perhaps", true)));
    assertThat(failed.reflection().vote()).isEqualTo(new ReflectionVote.Unparsed("Perhaps"));
    ReflectionSubmitted parseError =
        (ReflectionSubmitted)
            roundTrip(
                envelope("collab.reflection_submitted", reflection.formatted("parse_error", true)));
    assertThat(parseError.reflection().vote()).isEqualTo(ReflectionVote.Unparsed.PARSE_ERROR);
  }

  @Test
  void storedRoundStarted_withoutATimeout_decodes_withNone() throws Exception {
    String json =
        envelope(
            "collab.round_started",
            """
            {"round_number":1,"shared_intel":"","assignments":[{"node_id":"n1","role":"worker",
             "scope":["*"]}],"turn_order":[],"current_turn":null}
            """);
    Envelope e = EventCodec.decode(json.getBytes(UTF_8));
    RoundStarted r = (RoundStarted) e.payload();
    assertThat(r.roundTimeoutMs()).isNull();
    assertThat(r.assignments()).hasSize(1);
  }

  @Test
  void storedVotesAndEvaluations_decodeTheirVotes() throws Exception {
    CoordinatorVoted v =
        (CoordinatorVoted)
            roundTrip(
                envelope(
                    "collab.coordinator_voted",
                    "{\"round_number\":2,\"node_id\":\"lead\",\"vote\":\"converged\","
                        + "\"reason\":null}"));
    assertThat(v.vote()).isSameAs(Vote.CONVERGED);
    RoundEvaluated e =
        (RoundEvaluated)
            roundTrip(
                envelope(
                    "collab.round_evaluated",
                    """
                    {"round_number":1,"rule":{"type":"coordinator","threshold":0.66,
                     "metric":null,"min_quorum":2,"coordinator":null},
                     "tally":{"reflections":2,"valid":2,"converged_votes":0,"continue_votes":1,
                     "blocked_votes":1,"parse_failed":0,"metric_passed":0,"metric_failed":0,
                     "coordinator_vote":"continue"},
                     "converged":false,"outcome":"next_round","timed_out":true}
                    """));
    assertThat(e.rule().type()).isSameAs(ConvergenceType.COORDINATOR);
    assertThat(e.tally().coordinatorVote()).isSameAs(Vote.CONTINUE);
    assertThat(e.tally().bestScore()).isNull();
    assertThat(e.rule().scoreThreshold()).isNull();
  }
}
