package dev.jetmesh.orchestrator.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.store.EventFollower;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.TaskCommand;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskNotifier;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two processes' caches, each on its own connection with its stream follower started, as two
 * orchestrators run them: what one appends reaches the other's cache without a read, and a state
 * that missed an event is dropped rather than folded over the gap.
 */
class AggregateFollowIT {
  static TestNats nats;
  static Connection ncA;
  static Connection ncB;
  static EventStore storeA;
  static EventStore storeB;
  static TaskCommandHandler a;
  static TaskCommandHandler b;

  @BeforeAll
  static void up() throws Exception {
    nats = TestNats.start();
    ncA = Nats.connect(nats.url());
    ncB = Nats.connect(nats.url());
    storeA = new EventStore(ncA, "FOLLOW_IT");
    storeA.ensureStream();
    storeB = new EventStore(ncB, "FOLLOW_IT");
    a = new TaskCommandHandler(storeA, Clock.systemUTC(), new TaskNotifier(new MeshBus(ncA)));
    b = new TaskCommandHandler(storeB, Clock.systemUTC(), new TaskNotifier(new MeshBus(ncB)));
    storeA.follower().start();
    storeB.follower().start();
  }

  @AfterAll
  static void down() throws Exception {
    storeA.follower().close();
    storeB.follower().close();
    ncA.close();
    ncB.close();
    nats.close();
  }

  private static TaskCommand submit(String id) {
    return new TaskCommand.SubmitTask(TaskSpec.withDefaults(id, "t", ""));
  }

  private static Task cachedInB(String id) {
    return b.repository().cached(id);
  }

  @Test
  void whatOneProcessAppends_reachesTheOthersCache_inOrder_withoutARead() {
    // given a task submitted and claimed by process A only
    a.handle(submit("followed"), "client", "c1", null);
    Task claimedByA =
        a.handle(new TaskCommand.ClaimTask("followed", "node-a"), "node-a", "c2", null).task();
    long claimed = claimedByA.version();

    // then B holds the claimed state, though it never read the task
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cachedInB("followed") != null && cachedInB("followed").version() == claimed);
    assertThat(cachedInB("followed").status()).isEqualTo(TaskStatus.CLAIMED);
    assertThat(cachedInB("followed").owner()).isEqualTo("node-a");

    // and B decides on it at once: the owner's start is accepted, appended after A's claim
    var started =
        b.handle(
            new TaskCommand.StartTask(
                "followed", new TaskCommand.Fence("node-a", claimedByA.claimToken())),
            "node-a",
            "c3",
            null);
    assertThat(started.task().status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(storeA.read(Subjects.taskEvents("followed"))).hasSize(3);
  }

  @Test
  void aCachedStateThatMissedAnEvent_isDropped_notFoldedOverTheGap() {
    // given B caches a task at its submission
    a.handle(submit("gap"), "client", "c1", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> cachedInB("gap") != null);
    long at = cachedInB("gap").version();
    List<StoredEvent> history = storeA.read(Subjects.taskEvents("gap"));

    // when an event arrives whose append expected the subject somewhere else than B's state
    b.repository().follow(new EventFollower.Followed(copyAt(history.get(0), at + 100), at + 50));

    // then B forgets the state, and reads it back when it needs it
    assertThat(cachedInB("gap")).isNull();
    assertThat(b.load("gap").version()).isEqualTo(at);
  }

  private static StoredEvent copyAt(StoredEvent e, long seq) {
    return new StoredEvent(seq, e.subject(), e.envelope());
  }
}
