package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import org.junit.jupiter.api.Test;

/** {@code jetmesh plan show}: the subtask table says why each subtask failed or was blocked. */
class PlanShowTest {
  private static JsonNode body(String subtasks) throws Exception {
    return Json.mapper()
        .readTree(
            """
            {"plan_id":"PLAN-r2-1","title":"Release 2","status":"completed","success":false,
             "parent_task_id":"r2","waves":[{"wave":0,"subtasks":[%s]}]}
            """
                .formatted(subtasks));
  }

  @Test
  void show_ofTheReadApi_printsEachSubtasksFailureReason() throws Exception {
    // given the read API's plan, one subtask failed and one blocked by it
    JsonNode body =
        body(
            """
            {"subtask_id":"build","title":"Build it","mode":"solo_mesh","status":"failed",
             "task_id":"build","depends_on":[],"reason":"given by the planner",
             "failure_reason":"Task build already exists"},
            {"subtask_id":"notes","title":"Notes","mode":"solo_mesh","status":"blocked",
             "task_id":null,"depends_on":["build"],"reason":"given by the planner",
             "failure_reason":"Blocked: dependency build failed"}
            """);

    // when it is shown
    String out = PlanCommands.Show.render(body, Style.PLAIN);

    // then the table has the column, and each row its reason
    assertThat(out).contains("WHY IT FAILED");
    assertThat(out.lines().filter(l -> l.contains("build  ")).findFirst().orElseThrow())
        .endsWith("Task build already exists");
    assertThat(out.lines().filter(l -> l.contains("notes")).findFirst().orElseThrow())
        .endsWith("Blocked: dependency build failed");
    assertThat(out).contains("0/2 subtasks completed");
  }

  @Test
  void show_ofAPlanObject_readsTheReasonFromTheSubtasksResult() throws Exception {
    // given subtasks shaped as mesh.plans.get has them (no failure_reason; a result instead)
    JsonNode body =
        body(
            """
            {"subtask_id":"build","title":"Build it","delegation":{"mode":"solo_mesh"},
             "status":"failed","mesh_task_id":"build","depends_on":[],
             "result":{"success":false,"summary":"metric failed"}},
            {"subtask_id":"lint","title":"Lint it","delegation":{"mode":"solo_mesh"},
             "status":"completed","mesh_task_id":"lint","depends_on":[],
             "result":{"success":true,"summary":"all clean"}}
            """);

    String out = PlanCommands.Show.render(body, Style.PLAIN);

    assertThat(out.lines().filter(l -> l.contains("Build it")).findFirst().orElseThrow())
        .endsWith("metric failed");
    assertThat(out.lines().filter(l -> l.contains("Lint it")).findFirst().orElseThrow())
        .endsWith("-")
        .doesNotContain("all clean");
  }
}
