package dev.jetmesh.orchestrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeScopeTest {
  private static final Subjects.AsNode COMPLETE_AS_W1 =
      Subjects.parseAsNode("mesh.as.w1.tasks.complete");

  @Test
  void parse_splitsTheNodeFromThePlainSubject_andRefusesWhatIsNotOne() {
    assertThat(COMPLETE_AS_W1).isEqualTo(new Subjects.AsNode("w1", "mesh.tasks.complete"));
    assertThat(Subjects.asNode("w1", "mesh.tasks.complete")).isEqualTo("mesh.as.w1.tasks.complete");
    assertThat(Subjects.parseAsNode("mesh.as.w1")).isNull();
    assertThat(Subjects.parseAsNode("mesh.as.w1.")).isNull();
    assertThat(Subjects.parseAsNode("mesh.as.w%1.tasks.get")).isNull();
    assertThat(Subjects.parseAsNode("mesh.tasks.get")).isNull();
  }

  @Test
  void aCommand_withoutNodeId_isBoundToTheSender() throws Exception {
    byte[] out = NodeScope.bind(COMPLETE_AS_W1, bytes("{\"task_id\":\"t1\",\"claim_token\":3}"));
    assertThat(Json.mapper().readTree(out).path("node_id").asText()).isEqualTo("w1");
    byte[] empty = NodeScope.bind(Subjects.parseAsNode("mesh.as.w1.tasks.claim"), new byte[0]);
    assertThat(Json.mapper().readTree(empty).path("node_id").asText()).isEqualTo("w1");
  }

  @Test
  void aBodyNamingAnotherNode_isRefused_notOwner() {
    for (String body :
        new String[] {
          "{\"task_id\":\"t1\",\"node_id\":\"w2\"}", "{\"node_id\":7}", "{\"node_id\":[\"w1\"]}"
        }) {
      assertThatThrownBy(() -> NodeScope.bind(COMPLETE_AS_W1, bytes(body)))
          .as(body)
          .isInstanceOfSatisfying(
              MeshException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_OWNER));
    }
  }

  @Test
  void aRead_isNotGivenANode_andBadJsonIsLeftForTheHandler() {
    Subjects.AsNode get = Subjects.parseAsNode("mesh.as.w1.tasks.get");
    byte[] body = bytes("{\"task_id\":\"t1\"}");
    assertThat(NodeScope.bind(get, body)).isSameAs(body);
    byte[] broken = bytes("{not json");
    assertThat(NodeScope.bind(COMPLETE_AS_W1, broken)).isSameAs(broken);
    assertThat(NodeScope.serves("mesh.plans.create")).isFalse();
    assertThat(NodeScope.serves("mesh.tasks.submit")).isFalse();
    assertThat(NodeScope.serves("mesh.tasks.claim")).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
