package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What {@code watch} prints of an ended task or session. */
class ProgressTest {
  static JsonNode json(String s) throws Exception {
    return CliJson.mapper().readTree(s);
  }

  @Test
  void anEndedTask_showsItsResultSummary_onOneLine() throws Exception {
    JsonNode t =
        json(
            "{\"task_id\":\"t1\",\"status\":\"completed\",\"attempts\":[],"
                + "\"result\":{\"summary\":\"all\\ngood\"}}");
    assertThat(Progress.TASK.frame(t, Style.PLAIN)).contains("  result: all good");
  }

  @Test
  void anEmptyOrMissingSummary_printsNoResultLine() throws Exception {
    for (String result :
        new String[] {"{\"summary\":\"\"}", "{\"summary\":\"  \"}", "{\"summary\":null}", "{}"}) {
      JsonNode t =
          json(
              "{\"task_id\":\"t1\",\"status\":\"failed\",\"attempts\":[],\"result\":"
                  + result
                  + "}");
      assertThat(Progress.TASK.frame(t, Style.PLAIN))
          .as(result)
          .noneMatch(l -> l.contains("result"));
      JsonNode c =
          json("{\"session_id\":\"s1\",\"status\":\"completed\",\"result\":" + result + "}");
      assertThat(Progress.SESSION.frame(c, Style.PLAIN))
          .as(result)
          .noneMatch(l -> l.contains("result"));
    }
  }
}
