package dev.jetmesh.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.Decision;
import dev.jetmesh.orchestrator.node.NodeCommand.JoinNode;
import dev.jetmesh.orchestrator.node.NodeCommand.MarkBack;
import dev.jetmesh.orchestrator.node.NodeCommand.MarkStale;
import dev.jetmesh.orchestrator.node.NodeCommand.RemoveNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.NodeEvent.NodeCameBack;
import dev.jetmesh.schema.events.NodeEvent.NodeJoined;
import dev.jetmesh.schema.events.NodeEvent.NodeRemoved;
import dev.jetmesh.schema.events.NodeEvent.NodeWentStale;
import dev.jetmesh.schema.events.StoredEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Given/when/then tests of the pure node decider: a state folded from events with {@link
 * NodeEvolver}, a command and a time; then the events it decides, or the coded refusal.
 */
class NodeDeciderTest {
  static final String ID = "node-a";
  static final Instant T0 = Instant.parse("2025-06-02T08:00:00Z");
  static final Duration STALE_AFTER = Duration.ofSeconds(90);
  static final JsonNode HOST = Json.mapper().createObjectNode().put("hostname", "box-1");

  // ---- given ---------------------------------------------------------------------------------

  /** Folds {@code events}, one second apart from {@link #T0}, at stream sequences 1, 2, … */
  static NodeState given(NodeEvent... events) {
    NodeState s = null;
    for (int i = 0; i < events.length; i++) {
      Envelope env = Envelope.wrap(events[i], ID, "test", "c", T0.plusSeconds(i));
      s = NodeEvolver.evolve(s, new StoredEvent(i + 1, "mesh.evt.node." + ID, env));
    }
    return s;
  }

  static NodeJoined joinedAt(Instant at) {
    return new NodeJoined(ID, List.of("claude", "shell"), List.of("gpu"), HOST, "tok-1", at);
  }

  static NodeState joined() {
    return given(joinedAt(T0));
  }

  static NodeState stale() {
    return given(joinedAt(T0), new NodeWentStale(T0, 95, 90));
  }

  static NodeState removed() {
    return given(joinedAt(T0), new NodeRemoved("alice", "disk failing"));
  }

  static JoinNode join(String tokenId) {
    return new JoinNode(ID, List.of("claude", "shell"), List.of("gpu"), HOST, tokenId);
  }

  // ---- when/then -----------------------------------------------------------------------------

  static List<NodeEvent> accepted(Decision<NodeEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Accept.class);
    return ((Decision.Accept<NodeEvent>) d).events();
  }

  static Decision.Reject<NodeEvent> rejected(Decision<NodeEvent> d) {
    assertThat(d).as("decision").isInstanceOf(Decision.Reject.class);
    return (Decision.Reject<NodeEvent>) d;
  }

  static Decision<NodeEvent> when(NodeState s, NodeCommand c, Instant now) {
    return NodeDecider.decide(s, c, now);
  }

  // ---- join ----------------------------------------------------------------------------------

  @Test
  void join_ofANewNode_recordsItsFactsAndTheTime() {
    Instant now = T0.plusSeconds(5);
    assertThat(accepted(when(null, join("tok-1"), now))).containsExactly(joinedAt(now));
  }

  @Test
  void join_repeatedWithTheSameFacts_appendsNothing() {
    assertThat(accepted(when(joined(), join("tok-1"), T0.plusSeconds(60)))).isEmpty();
  }

  @Test
  void join_withOtherProvidersOrANewToken_appendsAnotherJoin() {
    Instant now = T0.plusSeconds(60);
    JoinNode other = new JoinNode(ID, List.of("ollama"), List.of(), null, "tok-1");
    assertThat(accepted(when(joined(), other, now)))
        .containsExactly(new NodeJoined(ID, List.of("ollama"), List.of(), null, "tok-1", now));
    assertThat(accepted(when(joined(), join("tok-2"), now))).hasSize(1);
  }

  @Test
  void join_ofAStaleNode_joinsItAgain_evenWithTheSameFacts() {
    Instant now = T0.plusSeconds(600);
    assertThat(accepted(when(stale(), join("tok-1"), now))).containsExactly(joinedAt(now));
  }

  @Test
  void join_ofARemovedNode_isUnauthorized() {
    Decision.Reject<NodeEvent> r = rejected(when(removed(), join("tok-9"), T0.plusSeconds(60)));
    assertThat(r.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(r.error()).isEqualTo("Node node-a was removed from the mesh: it cannot join again");
  }

  // ---- stale ---------------------------------------------------------------------------------

  @Test
  void markStale_afterTheThreshold_recordsTheSilence() {
    Instant lastBeat = T0.plusSeconds(30);
    Instant now = lastBeat.plusSeconds(91);
    assertThat(accepted(when(joined(), new MarkStale(ID, lastBeat, STALE_AFTER), now)))
        .containsExactly(new NodeWentStale(lastBeat, 91, 90));
  }

  @Test
  void markStale_atOrBeforeTheThreshold_appendsNothing() {
    Instant lastBeat = T0.plusSeconds(30);
    MarkStale m = new MarkStale(ID, lastBeat, STALE_AFTER);
    assertThat(accepted(when(joined(), m, lastBeat.plusSeconds(90)))).isEmpty();
    assertThat(accepted(when(joined(), m, lastBeat.plusSeconds(10)))).isEmpty();
  }

  @Test
  void markStale_countsARejoinAfterTheLastBeat_asASignOfLife() {
    // The read model's last beat is old, but the node joined again since.
    NodeState rejoined = given(joinedAt(T0), joinedAt(T0.plusSeconds(500)));
    MarkStale m = new MarkStale(ID, T0, STALE_AFTER);
    assertThat(accepted(when(rejoined, m, T0.plusSeconds(520)))).isEmpty();
  }

  @Test
  void markStale_ofAStaleOrRemovedNode_appendsNothing_andOfAnUnknownOne_isNotFound() {
    MarkStale m = new MarkStale(ID, T0, STALE_AFTER);
    Instant later = T0.plusSeconds(3600);
    assertThat(accepted(when(stale(), m, later))).isEmpty();
    assertThat(accepted(when(removed(), m, later))).isEmpty();
    assertThat(rejected(when(null, m, later)).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  // ---- came back -----------------------------------------------------------------------------

  @Test
  void markBack_ofAStaleNode_recordsTheBeat_once() {
    Instant beat = T0.plusSeconds(300);
    assertThat(accepted(when(stale(), new MarkBack(ID, beat), beat)))
        .containsExactly(new NodeCameBack(beat));
    NodeState back = given(joinedAt(T0), new NodeWentStale(T0, 95, 90), new NodeCameBack(beat));
    assertThat(accepted(when(back, new MarkBack(ID, beat.plusSeconds(15)), beat))).isEmpty();
  }

  @Test
  void markBack_ofAJoinedOrRemovedNode_appendsNothing() {
    assertThat(accepted(when(joined(), new MarkBack(ID, T0), T0))).isEmpty();
    assertThat(accepted(when(removed(), new MarkBack(ID, T0), T0))).isEmpty();
  }

  // ---- remove --------------------------------------------------------------------------------

  @Test
  void remove_ofAJoinedOrStaleNode_recordsWhoAndWhy() {
    assertThat(
            accepted(when(joined(), new RemoveNode(ID, "alice", "disk failing", false, false), T0)))
        .containsExactly(new NodeRemoved("alice", "disk failing"));
    assertThat(accepted(when(stale(), new RemoveNode(ID, "bob", "  ", false, false), T0)))
        .containsExactly(new NodeRemoved("bob", null));
  }

  @Test
  void remove_ofALegacyWorkerThatWorkedWithoutJoining_removesIt() {
    // given no node events, but the read models show the node has held a task or sat in a session
    // when it is removed
    // then it is removed like a joined node (its claims are refused from then on)
    assertThat(accepted(when(null, new RemoveNode(ID, "alice", null, true, false), T0)))
        .containsExactly(new NodeRemoved("alice", null));
  }

  @Test
  void remove_ofANodeNothingKnows_isNotFound_soATypoBlocksNoName() {
    // given no node events and no task ever held
    // when it is removed without force
    Decision.Reject<NodeEvent> r =
        rejected(when(null, new RemoveNode("nope", "alice", null, false, false), T0));
    // then it is refused, and nothing is appended
    assertThat(r.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(r.error())
        .isEqualTo(
            "Node nope not found: no node of that id joined or worked here (to remove the name"
                + " anyway: force true, or the CLI's --force)");
  }

  @Test
  void remove_ofANodeNothingKnows_withForce_reservesTheName() {
    // given no node events and no task ever held; when it is removed with force
    // then the name is removed, to refuse a worker that has not come yet
    assertThat(accepted(when(null, new RemoveNode("later", "alice", "retired", false, true), T0)))
        .containsExactly(new NodeRemoved("alice", "retired"));
  }

  @Test
  void remove_twice_isAConflict() {
    Decision.Reject<NodeEvent> r =
        rejected(when(removed(), new RemoveNode(ID, "bob", null, false, true), T0.plusSeconds(5)));
    assertThat(r.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(r.error()).isEqualTo("Node node-a was already removed (by alice)");
  }
}
