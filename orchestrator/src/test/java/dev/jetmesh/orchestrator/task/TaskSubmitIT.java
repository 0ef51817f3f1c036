package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.instant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Submitting a task over NATS: the reference's defaults for every field left out, the fields kept
 * as given, and the reference's exact error strings for a missing id or title and a duplicate.
 */
class TaskSubmitIT {
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
  void submit_appliesReferenceDefaults() {
    Instant before = Instant.now().minusSeconds(1);
    JsonNode t = tasks.submit("def-1");
    assertThat(t.path("task_id").asText()).isEqualTo("def-1");
    assertThat(t.path("title").asText()).isEqualTo("Task def-1");
    assertThat(t.path("description").isTextual()).isTrue();
    assertThat(t.path("description").asText()).isEmpty();
    assertThat(t.path("budget_minutes").asInt()).isEqualTo(30);
    assertThat(t.path("on_fail").asText()).isEqualTo("revert and log approach");
    for (String list :
        List.of(
            "scope",
            "success_criteria",
            "depends_on",
            "tags",
            "preferred_nodes",
            "exclude_nodes",
            "attempts")) {
      assertThat(t.path(list).isArray()).as(list).isTrue();
      assertThat(t.path(list)).as(list).isEmpty();
    }
    assertThat(t.path("priority").isInt()).isTrue();
    assertThat(t.path("priority").asInt()).isZero();
    assertThat(t.path("status").asText()).isEqualTo("queued");
    assertThat(instant(t.path("created_at"))).isBetween(before, Instant.now().plusSeconds(1));
    for (String nullField :
        List.of(
            "metric",
            "llm_provider",
            "llm_model",
            "collaboration",
            "collab_session_id",
            "owner",
            "claimed_at",
            "started_at",
            "completed_at",
            "budget_deadline",
            "last_activity",
            "result")) {
      assertThat(t.has(nullField)).as("field %s present", nullField).isTrue();
      assertThat(t.path(nullField).isNull()).as("field %s null", nullField).isTrue();
    }
  }

  @Test
  void submit_budgetZero_becomes30_andOtherValuesAreKept() {
    assertThat(tasks.submit("bud-0", "budget_minutes", 0).path("budget_minutes").asInt())
        .isEqualTo(30);
    assertThat(tasks.submit("bud-5", "budget_minutes", 5).path("budget_minutes").asInt())
        .isEqualTo(5);
    JsonNode full =
        tasks.submit(
            "bud-full",
            "description",
            "d",
            "metric",
            "true",
            "on_fail",
            "stop",
            "scope",
            List.of("src/"),
            "success_criteria",
            List.of("green"),
            "tags",
            List.of("x"),
            "priority",
            7,
            "llm_provider",
            "claude",
            "llm_model",
            "opus");
    assertThat(full.path("description").asText()).isEqualTo("d");
    assertThat(full.path("metric").asText()).isEqualTo("true");
    assertThat(full.path("on_fail").asText()).isEqualTo("stop");
    assertThat(full.path("scope").get(0).asText()).isEqualTo("src/");
    assertThat(full.path("success_criteria").get(0).asText()).isEqualTo("green");
    assertThat(full.path("tags").get(0).asText()).isEqualTo("x");
    assertThat(full.path("priority").asInt()).isEqualTo(7);
    assertThat(full.path("llm_provider").asText()).isEqualTo("claude");
    assertThat(full.path("llm_model").asText()).isEqualTo("opus");
  }

  @Test
  void submit_errors_haveReferenceStrings() {
    tasks.refused("submit", Map.of(), "task_id and title are required");
    tasks.refused("submit", Map.of("task_id", "req-1"), "task_id and title are required");
    tasks.refused("submit", Map.of("title", "no id"), "task_id and title are required");
    tasks.refused(
        "submit", Map.of("task_id", "req-1", "title", ""), "task_id and title are required");
    tasks.refused("submit", Map.of("task_id", "", "title", "t"), "task_id and title are required");
    tasks.submit("dup-1");
    tasks.refused(
        "submit", Map.of("task_id", "dup-1", "title", "again"), "Task dup-1 already exists");
    assertThat(tasks.get("dup-1").path("title").asText()).isEqualTo("Task dup-1");
  }
}
