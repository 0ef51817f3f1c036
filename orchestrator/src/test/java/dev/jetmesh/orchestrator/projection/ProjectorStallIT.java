package dev.jetmesh.orchestrator.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The last event of a burst, delivered to a pull nobody reads any more, is projected within
 * seconds, not after the consumer's 30 s ack wait: nothing newer comes to show the gap, so the
 * projector has to notice by itself ({@link StallWatch}).
 */
class ProjectorStallIT {
  @Test
  void theLastEvent_takenByAPullThatNeverAcks_isProjectedWithinSeconds() throws Exception {
    try (TestMesh mesh = TestMesh.start(Map.of());
        MeshClient client = mesh.client();
        Connection thief = Nats.connect(mesh.nats().url())) {
      client.task("submit", Map.of("task_id", "warm", "title", "warm"));
      mesh.awaitProjected();
      String stream = mesh.config().stream();
      ConsumerContext projectorConsumer = thief.getConsumerContext(stream, "jetmesh-projector");

      Message stolen = null;
      for (int attempt = 0; attempt < 100 && stolen == null; attempt++) {
        Message m = stealTheSecondOfTwo(client, projectorConsumer, attempt);
        // Only the stream's last event: taking the first of the two leaves the second to reveal
        // the gap, which is the older path this test is not about.
        if (m != null && m.metaData().streamSequence() == lastSequence(thief, stream)) {
          stolen = m;
        }
      }
      assertThat(stolen).as("a task.submitted taken from the projector's consumer").isNotNull();
      long seq = stolen.metaData().streamSequence();
      String taskId = stolen.getSubject().substring(stolen.getSubject().lastIndexOf('.') + 1);

      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> projected(mesh, taskId));
      assertThat(lastSequence(thief, stream))
          .as("no newer event came to reveal a gap")
          .isEqualTo(seq);
    }
  }

  /**
   * Waits on the projector's consumer with a pull of its own, then submits two tasks at once: the
   * projector's pull takes the first and ends, and the second may reach this pull before the
   * projector asks again. Returns it, unacknowledged, or null if the projector got both.
   */
  private static @Nullable Message stealTheSecondOfTwo(
      MeshClient client, ConsumerContext consumer, int attempt) throws Exception {
    try (FetchConsumer fc =
        consumer.fetch(FetchConsumeOptions.builder().maxMessages(1).expiresIn(2000).build())) {
      List<CompletableFuture<Message>> replies = new ArrayList<>();
      for (String id : List.of("a-" + attempt, "b-" + attempt)) {
        byte[] body =
            ("{\"task_id\":\"" + id + "\",\"title\":\"t\"}").getBytes(StandardCharsets.UTF_8);
        replies.add(client.connection().request("mesh.tasks.submit", body));
      }
      for (CompletableFuture<Message> r : replies) {
        r.get(10, TimeUnit.SECONDS);
      }
      return fc.nextMessage();
    }
  }

  private static long lastSequence(Connection nc, String stream) throws Exception {
    return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
  }

  private static boolean projected(TestMesh mesh, String taskId) throws Exception {
    try (java.sql.Connection c = mesh.db().connect();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tasks WHERE task_id = ?")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
