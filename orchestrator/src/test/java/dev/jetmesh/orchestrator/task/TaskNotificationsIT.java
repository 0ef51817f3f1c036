package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.WAIT;
import static dev.jetmesh.orchestrator.task.TaskMesh.fenced;
import static dev.jetmesh.orchestrator.task.TaskMesh.instant;
import static dev.jetmesh.orchestrator.task.TaskMesh.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.schema.Json;
import io.nats.client.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every task event is published on {@code mesh.events.<event>} in the reference's shape, carrying
 * the task as it is after the event.
 */
class TaskNotificationsIT {
  static TaskMesh tasks;
  static MeshClient client;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of());
    client = tasks.client();
  }

  @AfterAll
  static void down() {
    tasks.close();
  }

  @Test
  void notifications_areReferenceShaped_forEveryTaskEvent() throws Exception {
    Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    Dispatcher d =
        client
            .connection()
            .createDispatcher(
                m -> {
                  try {
                    JsonNode body = Json.mapper().readTree(m.getData());
                    if (body.path("task_id").asText().startsWith("note-")) {
                      seen.add(new Seen(m.getSubject(), body));
                    }
                  } catch (java.io.IOException e) {
                    seen.add(new Seen(m.getSubject(), null));
                  }
                });
    d.subscribe("mesh.events.>");
    client.connection().flush(Duration.ofSeconds(5));
    try {
      JsonNode c = tasks.submitAndClaim("note-1", "note-node1");
      client.task("start", fenced("note-1", c));
      client.task("heartbeat", fenced("note-1", c, "activity_state", "x"));
      client.task("attempt", fenced("note-1", c, "approach", "a"));
      client.task("complete", fenced("note-1", c));
      tasks.submitAndClaim("note-2", "note-node2");
      tasks.asOwner("fail", "note-2", "reason", "r");
      tasks.submitAndClaim("note-3", "note-node3");
      tasks.asOwner("release", "note-3");
      tasks.submit("note-4");
      client.task("cancel", Map.of("task_id", "note-4"));

      Map<String, List<String>> expected = new LinkedHashMap<>();
      expected.put("note-1", List.of("submitted", "claimed", "started", "heartbeat", "completed"));
      expected.put("note-2", List.of("submitted", "claimed", "failed"));
      expected.put("note-3", List.of("submitted", "claimed", "released"));
      expected.put("note-4", List.of("submitted", "cancelled"));
      await().atMost(WAIT).until(() -> seen.size() >= 13);
      Map<String, List<String>> got = new HashMap<>();
      for (Seen s : seen) {
        String subject = s.subject();
        JsonNode n = s.body();
        assertThat(n).as("notification on %s is JSON", subject).isNotNull();
        assertThat(names(n))
            .as(subject)
            .containsExactlyInAnyOrder("event", "task_id", "task", "timestamp");
        String event = n.path("event").asText();
        assertThat(subject).isEqualTo("mesh.events." + event);
        assertThat(event).doesNotContain(".");
        assertThat(n.path("task").path("task_id").asText()).isEqualTo(n.path("task_id").asText());
        assertThat(instant(n.path("timestamp"))).isNotNull();
        assertThat(n.path("task").path("status").asText())
            .as("task status in %s", event)
            .isEqualTo(statusAfter(event));
        if (event.equals("heartbeat")) {
          assertThat(n.path("task").path("last_activity").isTextual()).isTrue();
        }
        got.computeIfAbsent(n.path("task_id").asText(), k -> new ArrayList<>()).add(event);
      }
      assertThat(got).isEqualTo(expected);
    } finally {
      client.connection().closeDispatcher(d);
    }
  }

  /** A notification as received; the body is null when it was not JSON. */
  private record Seen(String subject, JsonNode body) {}

  private static String statusAfter(String event) {
    return switch (event) {
      case "submitted" -> "queued";
      case "claimed" -> "claimed";
      case "started", "heartbeat" -> "running";
      default -> event;
    };
  }
}
