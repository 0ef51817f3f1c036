package dev.jetmesh.worker.mesh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a request looks like on the wire. */
class RequestsTest {

  @Test
  void nulCharacters_inAnyString_becomeTheReplacementCharacter_andNothingElseChanges()
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", "t-1");
    body.put("result", Map.of("summary", "before\0after", "exit_code", 0));
    body.put("attempts", List.of(Map.of("approach", "\0"), Map.of("approach", "plain \\u0000")));
    body.put("cost", 0.25);
    body.put("none", null);

    byte[] bytes = Requests.encode("mesh.tasks.complete", body);

    assertThat(new String(bytes, UTF_8)).doesNotContain("before\\u0000");
    JsonNode sent = Json.mapper().readTree(bytes);
    assertThat(sent.path("result").path("summary").asText()).isEqualTo("before\uFFFDafter");
    assertThat(sent.path("result").path("exit_code").asInt()).isZero();
    assertThat(sent.path("attempts").get(0).path("approach").asText()).isEqualTo("\uFFFD");
    // a backslash followed by "u0000" is text, not a NUL
    assertThat(sent.path("attempts").get(1).path("approach").asText()).isEqualTo("plain \\u0000");
    assertThat(sent.path("cost").asDouble()).isEqualTo(0.25);
    assertThat(sent.has("none")).isEqualTo(Json.mapper().valueToTree(body).has("none"));
    assertThat(sent.path("task_id").asText()).isEqualTo("t-1");
  }
}
