package dev.jetmesh.schema.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Task states travel as the reference's lower-case names; anything else is refused. */
class TaskStatusTest {
  @Test
  void wireNames_areTheReferences() {
    assertThat(Arrays.stream(TaskStatus.values()).map(TaskStatus::wire))
        .containsExactly(
            "queued", "claimed", "running", "completed", "failed", "released", "cancelled");
  }

  @Test
  void fromWire_parsesEveryWireName() {
    for (TaskStatus s : TaskStatus.values()) {
      assertThat(TaskStatus.fromWire(s.wire())).isSameAs(s);
    }
  }

  @Test
  void json_usesTheWireName_bothWays() throws Exception {
    assertThat(Json.mapper().writeValueAsString(TaskStatus.RUNNING)).isEqualTo("\"running\"");
    assertThat(Json.mapper().readValue("\"cancelled\"", TaskStatus.class))
        .isSameAs(TaskStatus.CANCELLED);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"QUEUED", "Running", "done", "pending", " queued"})
  void fromWire_rejectsAnUnknownName(String name) {
    assertThatThrownBy(() -> TaskStatus.fromWire(name))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Unknown task status: " + name);
  }

  @Test
  void json_rejectsAnUnknownName() {
    assertThatThrownBy(() -> Json.mapper().readValue("\"done\"", TaskStatus.class))
        .isInstanceOf(JsonMappingException.class)
        .hasRootCauseInstanceOf(InvalidRequestException.class);
  }

  @Test
  void terminalAndActive_partitionTheStates() {
    assertThat(Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal))
        .containsExactlyInAnyOrder(
            TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.RELEASED, TaskStatus.CANCELLED);
    assertThat(Arrays.stream(TaskStatus.values()).filter(TaskStatus::isActive))
        .containsExactlyInAnyOrder(TaskStatus.CLAIMED, TaskStatus.RUNNING);
  }
}
