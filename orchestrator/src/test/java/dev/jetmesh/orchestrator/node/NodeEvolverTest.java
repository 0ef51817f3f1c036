package dev.jetmesh.orchestrator.node;

import static dev.jetmesh.orchestrator.node.NodeDeciderTest.HOST;
import static dev.jetmesh.orchestrator.node.NodeDeciderTest.ID;
import static dev.jetmesh.orchestrator.node.NodeDeciderTest.T0;
import static dev.jetmesh.orchestrator.node.NodeDeciderTest.given;
import static dev.jetmesh.orchestrator.node.NodeDeciderTest.joinedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.NodeEvent.NodeCameBack;
import dev.jetmesh.schema.events.NodeEvent.NodeJoined;
import dev.jetmesh.schema.events.NodeEvent.NodeRemoved;
import dev.jetmesh.schema.events.NodeEvent.NodeWentStale;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.NodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold both the command side and the projector use: each event's effect on a node. */
class NodeEvolverTest {
  @Test
  void joined_setsEveryFact_andTheVersion() {
    NodeState s = given(joinedAt(T0));

    assertThat(s.nodeId()).isEqualTo(ID);
    assertThat(s.status()).isEqualTo(NodeStatus.JOINED);
    assertThat(s.providers()).containsExactly("claude", "shell");
    assertThat(s.capabilities()).containsExactly("gpu");
    assertThat(s.host()).isEqualTo(HOST);
    assertThat(s.tokenId()).isEqualTo("tok-1");
    assertThat(s.joinedAt()).isEqualTo(T0);
    assertThat(s.version()).isEqualTo(1);
  }

  @Test
  void stale_thenBack_movesTheStatus_andKeepsTheJoinFacts() {
    NodeState stale = given(joinedAt(T0), new NodeWentStale(T0, 95, 90));
    assertThat(stale.status()).isEqualTo(NodeStatus.STALE);
    assertThat(stale.staleSince()).isEqualTo(T0.plusSeconds(1)); // when it was decided
    assertThat(stale.version()).isEqualTo(2);

    NodeState back =
        given(joinedAt(T0), new NodeWentStale(T0, 95, 90), new NodeCameBack(T0.plusSeconds(200)));
    assertThat(back.status()).isEqualTo(NodeStatus.JOINED);
    assertThat(back.staleSince()).isNull();
    assertThat(back.providers()).containsExactly("claude", "shell");
    assertThat(back.joinedAt()).isEqualTo(T0);
  }

  @Test
  void aJoinAfterStale_joinsAgain_withTheNewFacts() {
    NodeState s =
        given(
            joinedAt(T0),
            new NodeWentStale(T0, 95, 90),
            new NodeJoined(ID, List.of("ollama"), List.of(), null, null, T0.plusSeconds(300)));
    assertThat(s.status()).isEqualTo(NodeStatus.JOINED);
    assertThat(s.providers()).containsExactly("ollama");
    assertThat(s.tokenId()).isNull();
    assertThat(s.joinedAt()).isEqualTo(T0.plusSeconds(300));
    assertThat(s.staleSince()).isNull();
  }

  @Test
  void removed_keepsWhatTheNodeWas_andRecordsWhoAndWhy() {
    NodeState s = given(joinedAt(T0), new NodeRemoved("alice", "disk failing"));
    assertThat(s.status()).isEqualTo(NodeStatus.REMOVED);
    assertThat(s.removedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(s.removedBy()).isEqualTo("alice");
    assertThat(s.removedReason()).isEqualTo("disk failing");
    assertThat(s.providers()).containsExactly("claude", "shell");
  }

  @Test
  void aNodeRemovedWithoutJoining_isRemoved_withNoJoinFacts() {
    NodeState s = given(new NodeRemoved("alice", null));
    assertThat(s.status()).isEqualTo(NodeStatus.REMOVED);
    assertThat(s.joinedAt()).isNull();
    assertThat(s.providers()).isEmpty();
  }

  @Test
  void nothingFollowsARemoval_andLivenessNeedsAJoin() {
    NodeState removed = given(joinedAt(T0), new NodeRemoved("alice", null));
    for (NodeEvent after :
        List.of(joinedAt(T0), new NodeWentStale(T0, 1, 1), new NodeCameBack(T0))) {
      assertThatThrownBy(() -> NodeEvolver.evolve(removed, stored(after, 3)))
          .isInstanceOf(NodeEvolver.IllegalNodeEventException.class);
    }
    assertThatThrownBy(() -> NodeEvolver.evolve(null, stored(new NodeWentStale(T0, 1, 1), 1)))
        .isInstanceOf(NodeEvolver.IllegalNodeEventException.class);
    assertThatThrownBy(() -> NodeEvolver.evolve(null, stored(new NodeCameBack(T0), 1)))
        .isInstanceOf(NodeEvolver.IllegalNodeEventException.class);
  }

  @Test
  void anotherFamilysEvent_isIllegal() {
    StoredEvent task =
        new StoredEvent(
            1,
            "mesh.evt.task.t1",
            Envelope.wrap(new TaskEvent.TaskStarted(null), "t1", "test", "c", T0));
    assertThatThrownBy(() -> NodeEvolver.evolve(null, task))
        .isInstanceOf(NodeEvolver.IllegalNodeEventException.class);
  }

  private static StoredEvent stored(NodeEvent e, long seq) {
    return new StoredEvent(seq, "mesh.evt.node." + ID, Envelope.wrap(e, ID, "test", "c", T0));
  }
}
