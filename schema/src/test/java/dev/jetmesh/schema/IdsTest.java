package dev.jetmesh.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ids become NATS subject tokens, so only a safe alphabet of bounded length is accepted. */
class IdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"t", "task-1", "fix_login_timeout", "Node-A_2", "0123456789", "-", "_"})
  void accepts_lettersDigitsUnderscoreAndDash(String id) {
    assertThat(Ids.isValid(id)).isTrue();
    assertThat(Ids.require("task_id", id)).isEqualTo(id);
  }

  @Test
  void accepts_exactlyMaxLength() {
    assertThat(Ids.MAX_LENGTH).isEqualTo(200);
    assertThat(Ids.isValid("a".repeat(200))).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "a.b",
        "a*",
        "*",
        ">",
        "a>b",
        "a b",
        " a",
        "a ",
        "a\tb",
        "a\nb",
        "a/b",
        "a:b",
        "tâche",
        "a\u00a0b"
      })
  void rejects_subjectBreakingOrForeignCharacters(String id) {
    assertThat(Ids.isValid(id)).isFalse();
    assertThatThrownBy(() -> Ids.require("task_id", id))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid task_id: must be 1-200 characters of A-Z, a-z, 0-9, '_' or '-'");
  }

  @Test
  void rejects_201Characters() {
    assertThat(Ids.isValid("a".repeat(201))).isFalse();
    assertThatThrownBy(() -> Ids.require("node_id", "a".repeat(201)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("Invalid node_id:");
  }

  @Test
  void subjects_refuseInvalidIds() {
    assertThat(Subjects.taskEvents("task-1")).isEqualTo("mesh.evt.task.task-1");
    assertThatThrownBy(() -> Subjects.taskEvents("a.b"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Subjects.agentAlive("node>"))
        .isInstanceOf(InvalidRequestException.class);
  }
}
