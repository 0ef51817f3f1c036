package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.WAIT;
import static dev.jetmesh.orchestrator.task.TaskMesh.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.schema.Json;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stall timer with the alive check: a running task with no heartbeat for the threshold is
 * released unless its node answers that it is alive. The threshold is 0.6 s here, which is why
 * these tests have a mesh of their own: it would release the tasks of other tests.
 */
class TaskStallIT {
  static TaskMesh tasks;
  static MeshClient client;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of("MESH_STALL_MINUTES", "0.01"));
    client = tasks.client();
  }

  @AfterAll
  static void down() {
    tasks.close();
  }

  @BeforeEach
  void cancelLeftovers() {
    tasks.cancelUnfinished();
  }

  @Test
  void stall_noAliveAnswer_releasesTask_andNotifiesOwner() throws Exception {
    Queue<JsonNode> notices = new ConcurrentLinkedQueue<>();
    Dispatcher d =
        client
            .connection()
            .createDispatcher(
                m -> {
                  try {
                    notices.add(Json.mapper().readTree(m.getData()));
                  } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
    d.subscribe("mesh.agent.silent-node.stall");
    client.connection().flush(Duration.ofSeconds(5));
    try {
      tasks.submit("stall-a");
      tasks.awaitProjected();
      JsonNode c = tasks.claim("silent-node");
      assertThat(c.path("task_id").asText()).isEqualTo("stall-a");
      tasks.asOwner("start", "stall-a");

      await()
          .atMost(WAIT)
          .until(() -> tasks.get("stall-a").path("status").asText().equals("released"));
      JsonNode t = tasks.get("stall-a");
      assertThat(t.path("result").path("success").asBoolean()).isFalse();
      assertThat(t.path("result").path("released").asBoolean()).isTrue();
      assertThat(t.path("result").path("summary").asText())
          .startsWith("Stall detected: no agent heartbeat for")
          .endsWith("alive check failed");

      await().atMost(WAIT).until(() -> !notices.isEmpty());
      JsonNode notice = notices.peek();
      assertThat(names(notice))
          .containsExactlyInAnyOrder("task_id", "silent_minutes", "threshold_minutes");
      assertThat(notice.path("task_id").asText()).isEqualTo("stall-a");
      assertThat(notice.path("silent_minutes").isNumber()).isTrue();
      assertThat(notice.path("threshold_minutes").isNumber()).isTrue();
    } finally {
      client.connection().closeDispatcher(d);
    }
  }

  @Test
  void stall_aliveAnswer_keepsTaskRunning() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    Dispatcher d =
        client
            .connection()
            .createDispatcher(
                m -> {
                  checks.incrementAndGet();
                  client
                      .connection()
                      .publish(
                          m.getReplyTo(),
                          "{\"alive\":true,\"task_id\":\"stall-b\"}"
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                });
    d.subscribe("mesh.agent.busy-worker.alive");
    client.connection().flush(Duration.ofSeconds(5));
    try {
      tasks.submit("stall-b");
      tasks.awaitProjected();
      JsonNode c = tasks.claim("busy-worker");
      assertThat(c.path("task_id").asText()).isEqualTo("stall-b");
      tasks.asOwner("start", "stall-b");

      await().atMost(WAIT).until(() -> checks.get() >= 2);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> tasks.get("stall-b").path("status").asText().equals("running"));
      assertThat(tasks.get("stall-b").path("last_activity").isTextual())
          .as("a truthy alive answer counts as activity")
          .isTrue();
      assertThat(tasks.asOwner("complete", "stall-b").path("status").asText())
          .isEqualTo("completed");
    } finally {
      client.connection().closeDispatcher(d);
    }
  }
}
