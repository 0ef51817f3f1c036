package dev.jetmesh.orchestrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.store.EventStoreException;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.wire.Reply;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorRepliesTest {
  @Test
  void refusal_keepsItsMessageAndCode_andHasNoErrorId() throws Exception {
    Reply.Err r =
        ErrorReplies.of(
            new CommandRejectedException(ErrorCode.NOT_OWNER, "Task t is owned by a, not b"),
            "mesh.tasks.complete");

    JsonNode json = Json.mapper().readTree(Json.mapper().writeValueAsBytes(r));
    assertThat(json.path("ok").asBoolean(true)).isFalse();
    assertThat(json.path("error").asText()).isEqualTo("Task t is owned by a, not b");
    assertThat(json.path("code").asText()).isEqualTo("NOT_OWNER");
    assertThat(json.has("error_id")).isFalse();
    assertThat(json.has("data")).isFalse();
  }

  @Test
  void failure_hidesInternalText_andCarriesTheLoggedErrorId() {
    MeshException storeDown =
        new EventStoreException(
            "append to mesh.evt.task.t failed", new SQLException("FATAL: password for x"));

    Reply.Err r = ErrorReplies.of(storeDown, "mesh.tasks.submit");

    assertThat(r.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(r.errorId()).hasSize(8);
    assertThat(r.error())
        .isEqualTo("Service unavailable, try again (error id " + r.errorId() + ")")
        .doesNotContain("mesh.evt")
        .doesNotContain("password");
  }

  @Test
  void unexpectedException_isAnInternalFailure_withoutItsClassOrMessage() {
    Reply.Err r =
        ErrorReplies.unexpected(new IllegalStateException("index broke"), "mesh.tasks.claim");

    assertThat(r.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(r.error())
        .startsWith("Internal error (error id ")
        .doesNotContain("IllegalState")
        .doesNotContain("index broke");
  }

  @Test
  void noErrorMessageIsEverBlank() {
    for (String blank : new String[] {null, "", "   "}) {
      assertThat(ErrorReplies.of(new InvalidRequestException(blank), "s").error())
          .isEqualTo("INVALID_REQUEST");
      assertThat(
              ErrorReplies.of(new CommandRejectedException(ErrorCode.CONFLICT, blank), "s").error())
          .isEqualTo("CONFLICT");
    }
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(ErrorReplies.of(new MeshException(code, ""), "s").error()).isNotBlank();
    }
  }
}
