package dev.jetmesh.orchestrator.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.TaskCommand;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskNotifier;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.model.TaskStatus;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two handlers with their own caches on one stream stand for two orchestrator processes: neither
 * may act on an aggregate it has never seen as if it did not exist.
 */
class AggregateRepositoryIT {
  static TestNats nats;
  static Connection nc;
  static EventStore store;
  static TaskCommandHandler a;
  static TaskCommandHandler b;

  @BeforeAll
  static void up() throws Exception {
    nats = TestNats.start();
    nc = Nats.connect(nats.url());
    store = new EventStore(nc, "AGGREGATE_IT");
    store.ensureStream();
    a = new TaskCommandHandler(store, Clock.systemUTC(), new TaskNotifier(new MeshBus(nc)));
    b = new TaskCommandHandler(store, Clock.systemUTC(), new TaskNotifier(new MeshBus(nc)));
  }

  @AfterAll
  static void down() throws Exception {
    nc.close();
    nats.close();
  }

  private static TaskCommand submit(String id) {
    return new TaskCommand.SubmitTask(TaskSpec.withDefaults(id, "t", ""));
  }

  @Test
  void creatingAnAggregateThatExistsElsewhere_isRefused_andAppendsNothing() {
    a.handle(submit("dup"), "client", "c1", null);
    long last = store.lastSequenceOf(Subjects.taskEvents("dup"));

    assertThatThrownBy(() -> b.handle(submit("dup"), "client", "c2", null))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessage("Task dup already exists");
    assertThat(store.read(Subjects.taskEvents("dup"))).hasSize(1);
    assertThat(store.lastSequenceOf(Subjects.taskEvents("dup"))).isEqualTo(last);
  }

  @Test
  void aCommandOnAnAggregateCreatedElsewhere_isDecidedOnItsRealState() {
    a.handle(submit("elsewhere"), "client", "c1", null);

    var claimed = b.handle(new TaskCommand.ClaimTask("elsewhere", "node-b"), "node-b", "c2", null);

    assertThat(claimed.task().status()).isEqualTo(TaskStatus.CLAIMED);
    assertThat(claimed.task().owner()).isEqualTo("node-b");
    assertThat(store.read(Subjects.taskEvents("elsewhere"))).hasSize(2);
    assertThat(a.current("elsewhere").status()).isEqualTo(TaskStatus.CLAIMED);
  }

  @Test
  void aCommandOnAnAggregateThatExistsNowhere_isRefusedAsNotFound() {
    assertThatThrownBy(
            () -> b.handle(new TaskCommand.ClaimTask("nowhere", "node-b"), "node-b", "c", null))
        .isInstanceOf(CommandRejectedException.class)
        .hasMessageContaining("not found");
    assertThat(store.read(Subjects.taskEvents("nowhere"))).isEmpty();
  }

  @Test
  void aNewAggregate_isCreatedOnce() {
    var o = b.handle(submit("fresh"), "client", "c", null);
    assertThat(o.appended()).hasSize(1);
    assertThat(store.read(Subjects.taskEvents("fresh"))).hasSize(1);
    assertThat(a.current("fresh").status()).isEqualTo(TaskStatus.QUEUED);
  }
}
