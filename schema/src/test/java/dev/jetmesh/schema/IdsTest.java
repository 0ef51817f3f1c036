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

  @Test
  void isValid_agreesWithThePattern_onRandomStrings() {
    java.util.Random random = new java.util.Random(7);
    String alphabet = "aZ09_-.*> \t/:é\u00a0\u0000";
    for (int n = 0; n < 20_000; n++) {
      int len = random.nextInt(n % 100 == 0 ? 210 : 8);
      StringBuilder sb = new StringBuilder(len);
      for (int i = 0; i < len; i++) {
        sb.append(
            random.nextInt(4) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : (char) ('a' + random.nextInt(26)));
      }
      String id = sb.toString();
      assertThat(Ids.isValid(id)).as("%s", id).isEqualTo(Ids.PATTERN.matcher(id).matches());
    }
  }

  @Test
  void randomUuid_isAVersion4Uuid_andDoesNotRepeat() {
    java.util.Set<java.util.UUID> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      java.util.UUID u = Ids.randomUuid();
      assertThat(u.version()).isEqualTo(4);
      assertThat(u.variant()).isEqualTo(2);
      assertThat(seen.add(u)).as("repeated %s", u).isTrue();
    }
    assertThat(java.util.UUID.fromString(Ids.randomUuid().toString()).version()).isEqualTo(4);
  }
}
