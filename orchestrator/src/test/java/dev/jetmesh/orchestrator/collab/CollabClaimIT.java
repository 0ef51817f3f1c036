package dev.jetmesh.orchestrator.collab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent.NodeLeft;
import dev.jetmesh.schema.events.Envelope;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node claims a collaboration task to join its session. Once the session cannot take it (full, or
 * past recruiting), claims pass the task over for the next one in the queue: before, the node got
 * the task, could not join, and held it idle until the session settled it.
 */
class CollabClaimIT {
  private TestMesh mesh;
  private MeshClient client;

  @BeforeEach
  void start() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
  }

  @AfterEach
  void stop() {
    client.close();
    mesh.close();
  }

  @Test
  void aFullSessionsTask_isPassedOver_andTheClaimTakesTheNextTask() {
    String sid = submitCollab("full-one", 2);
    client.task("submit", Map.of("task_id", "plain-one", "title", "Plain"));
    join(sid, "n1", "n2");
    mesh.awaitProjected();

    // the collaboration task is first in the queue (priority 5), but its session is full
    assertThat(claim("n3").path("task_id").asText()).isEqualTo("plain-one");
    assertThat(claim("n4").isNull()).as("nothing else to claim").isTrue();
    assertThat(task("full-one").path("status").asText()).isEqualTo("queued");
    assertThat(task("full-one").path("owner").isNull()).isTrue();
  }

  @Test
  void moreFullSessionsThanAClaimTriesCandidates_stillLeaveTheTaskBehindThemClaimable() {
    // a claim tries 16 candidates; tasks passed over for their sessions do not count
    for (int i = 0; i < 20; i++) {
      join(submitCollab("full-" + i, 2), "m" + i + "a", "m" + i + "b");
    }
    client.task("submit", Map.of("task_id", "behind", "title", "Behind twenty sessions"));
    mesh.awaitProjected();

    assertThat(claim("n1").path("task_id").asText()).isEqualTo("behind");
  }

  @Test
  void aSessionStillRecruiting_letsANodeClaimItsTask() {
    String sid = submitCollab("open-one", 3);
    join(sid, "n1");
    mesh.awaitProjected();

    JsonNode claimed = claim("n2");
    assertThat(claimed.path("task_id").asText()).isEqualTo("open-one");
    // and the claimer can join, which is what it claimed the task for
    client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", "n2"));
  }

  @Test
  void aMemberOfTheSession_doesNotGetItsTask() {
    String sid = submitCollab("member-one", 3);
    join(sid, "n1");
    mesh.awaitProjected();

    assertThat(claim("n1").isNull()).as("n1 is in the session already").isTrue();
    assertThat(claim("n2").path("task_id").asText()).isEqualTo("member-one");
  }

  @Test
  void fromTheReadModel_aTaskPassedOverStaysClaimable_byTheNextNodeAtOnce() {
    // as on a standby: claims choose from the read model's buffer, not from the claim index
    mesh.orchestrator().claimIndex().disable();
    String sid = submitCollab("member-two", 3);
    for (int i = 1; i <= 3; i++) {
      client.task("submit", Map.of("task_id", "plain-" + i, "title", "Plain " + i));
    }
    join(sid, "n1");
    mesh.awaitProjected();

    assertThat(claim("n1").path("task_id").asText()).isEqualTo("plain-1");
    // Passed over by n1's claim alone: still buffered, and first in the queue for n2. (It used to
    // leave the buffer with n1's claim, and n2 got plain-2 until the next refill.)
    assertThat(claim("n2").path("task_id").asText()).isEqualTo("member-two");
  }

  @Test
  void aMemberWhoLeftThroughAnotherOrchestrator_getsTheTaskAgainWithinASecond() throws Exception {
    String sid = submitCollab("left-one", 3);
    join(sid, "n1");
    mesh.awaitProjected();
    assertThat(claim("n1").isNull()).as("n1 is a member of the session").isTrue();

    // Another orchestrator's decision, appended as it would append it: n1 leaves the session. This
    // orchestrator decided nothing on it, so its own copy of the session still lists n1.
    try (Connection nc = Nats.connect(mesh.nats().url())) {
      EventStore other = new EventStore(nc, mesh.config().stream());
      String subject = Subjects.collabEvents(sid);
      other.appendAll(
          subject,
          List.of(
              Envelope.wrap(
                  new NodeLeft("n1", "left elsewhere"), sid, "test", null, Instant.now())),
          other.lastSequenceOf(subject));
    }
    long left = System.nanoTime();
    mesh.awaitProjected();

    // A refusal is trusted for a second at most before it is checked against the stream again;
    // before, this process refused n1 until it next decided on the session itself.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> assertThat(claim("n1").path("task_id").asText()).isEqualTo("left-one"));
    // a second of trust, and slack for a slow machine: not the five the wait allows
    assertThat(Duration.ofNanos(System.nanoTime() - left))
        .isLessThan(CollabClaimGuard.TRUST.plusMillis(1500));
  }

  /** A collaboration task with priority 5 whose session takes at most {@code maxNodes}. */
  private String submitCollab(String taskId, int maxNodes) {
    return client.submitCollab(
        Map.of(
            "task_id",
            taskId,
            "title",
            "Collab " + taskId,
            "priority",
            5,
            "collaboration",
            // a join window longer than the test, so that only max_nodes closes recruiting
            Map.of("min_nodes", 2, "max_nodes", maxNodes, "join_window_s", 600)),
        Duration.ofSeconds(10));
  }

  private void join(String sid, String... nodes) {
    for (String n : List.of(nodes)) {
      client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", n));
    }
  }

  private JsonNode claim(String node) {
    return client.task("claim", Map.of("node_id", node));
  }

  private JsonNode task(String id) {
    return client.task("get", Map.of("task_id", id));
  }
}
