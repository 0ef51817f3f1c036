package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal on the wire carries the code a program branches on, beside the reference's text.
 */
class ErrorCodesIT {
  private static TaskMesh tasks;

  @BeforeAll
  static void up() {
    tasks = TaskMesh.start(Map.of());
  }

  @AfterAll
  static void down() {
    tasks.close();
  }

  @AfterEach
  void cleanup() {
    tasks.cancelUnfinished();
  }

  private static JsonNode refusal(String op, Object body) {
    JsonNode r = tasks.client().request("mesh.tasks." + op, body);
    assertThat(r.path("ok").asBoolean(true)).as("%s %s -> %s", op, body, r).isFalse();
    assertThat(r.path("error").asText()).as("error text of %s", r).isNotBlank();
    assertThat(r.has("error_id")).as("a refusal is not a failure: %s", r).isFalse();
    return r;
  }

  @Test
  void malformedRequests_areInvalidRequest() {
    assertThat(refusal("submit", Map.of("task_id", "a.b", "title", "x")).path("code").asText())
        .isEqualTo("INVALID_REQUEST");
    assertThat(refusal("bogus", Map.of()).path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(refusal("get", Map.of("task_id", "x", "nope", 1)).path("code").asText())
        .isEqualTo("INVALID_REQUEST");
  }

  @Test
  void unknownTask_isNotFound_andASecondSubmit_isAlreadyExists() {
    assertThat(refusal("get", Map.of("task_id", "codes-none")).path("code").asText())
        .isEqualTo("NOT_FOUND");
    tasks.submit("codes-twice");
    JsonNode again = refusal("submit", Map.of("task_id", "codes-twice", "title", "again"));
    assertThat(again.path("code").asText()).isEqualTo("ALREADY_EXISTS");
    assertThat(again.path("error").asText()).isEqualTo("Task codes-twice already exists");
  }

  @Test
  void fencing_isNotOwner_staleToken_andAlreadyActive() {
    JsonNode claimed = tasks.submitAndClaim("codes-held", "codes-n1");
    String token = claimed.path("claim_token").asText();

    assertThat(
            refusal("complete", Map.of("task_id", "codes-held", "node_id", "codes-n2"))
                .path("code")
                .asText())
        .isEqualTo("NOT_OWNER");
    assertThat(
            refusal(
                    "complete",
                    Map.of(
                        "task_id",
                        "codes-held",
                        "node_id",
                        "codes-n1",
                        "claim_token",
                        Long.parseLong(token) + 1000))
                .path("code")
                .asText())
        .isEqualTo("STALE_TOKEN");

    tasks.submit("codes-second");
    tasks.awaitProjected();
    assertThat(refusal("claim", Map.of("node_id", "codes-n1")).path("code").asText())
        .isEqualTo("ALREADY_ACTIVE");
  }

  @Test
  void wrongState_isConflict() {
    tasks.submit("codes-queued");
    JsonNode r = refusal("complete", Map.of("task_id", "codes-queued"));
    assertThat(r.path("code").asText()).isEqualTo("CONFLICT");
  }
}
