package dev.jetmesh.orchestrator.task;

import static dev.jetmesh.orchestrator.task.TaskMesh.fenced;
import static dev.jetmesh.orchestrator.task.TaskMesh.ids;
import static dev.jetmesh.orchestrator.task.TaskMesh.instant;
import static dev.jetmesh.orchestrator.task.TaskMesh.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.schema.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading tasks back: {@code get} and {@code list} (filters and sort order), and the read model
 * they answer from, which must match the replies row for row and log every stream event once.
 */
class TaskQueriesIT {
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

  @BeforeEach
  void cancelLeftovers() {
    tasks.cancelUnfinished();
  }

  @Test
  void list_filtersByStatusOwnerTag_andSortsByPriorityThenAge() {
    tasks.submit("ls-1", "priority", 1, "tags", List.of("ls"));
    tasks.submit("ls-2", "priority", 5, "tags", List.of("ls", "other"));
    tasks.submit("ls-3", "priority", 5, "tags", List.of("ls"));
    tasks.submit("ls-4", "priority", -2, "tags", List.of("ls"));
    tasks.submit("ls-5", "priority", 100, "tags", List.of("nope"));
    assertThat(ids(client.task("list", Map.of("tag", "ls"))))
        .containsExactly("ls-2", "ls-3", "ls-1", "ls-4");
    assertThat(ids(client.task("list", Map.of("tag", "other")))).containsExactly("ls-2");
    tasks.awaitProjected();
    JsonNode c = tasks.claim("ls-node");
    assertThat(c.path("task_id").asText()).isEqualTo("ls-5");
    assertThat(ids(client.task("list", Map.of("owner", "ls-node")))).containsExactly("ls-5");
    assertThat(ids(client.task("list", Map.of("status", "claimed", "owner", "ls-node"))))
        .containsExactly("ls-5");
    assertThat(ids(client.task("list", Map.of("status", "queued", "tag", "ls"))))
        .containsExactly("ls-2", "ls-3", "ls-1", "ls-4");
    assertThat(ids(client.task("list", Map.of("status", "completed", "tag", "ls")))).isEmpty();
    List<String> all = ids(client.task("list", Map.of()));
    assertThat(all).contains("ls-1", "ls-2", "ls-3", "ls-4", "ls-5");
    JsonNode everything = client.task("list", Map.of());
    for (int i = 1; i < everything.size(); i++) {
      JsonNode prev = everything.get(i - 1);
      JsonNode cur = everything.get(i);
      assertThat(prev.path("priority").asInt())
          .isGreaterThanOrEqualTo(cur.path("priority").asInt());
      if (prev.path("priority").asInt() == cur.path("priority").asInt()) {
        assertThat(instant(prev.path("created_at")))
            .isBeforeOrEqualTo(instant(cur.path("created_at")));
      }
    }
  }

  @Test
  void list_emptyBody_listsEverything() {
    tasks.submit("lse-1");
    assertThat(ids(client.ok("mesh.tasks.list", null))).contains("lse-1");
  }

  @Test
  void get_returnsTheTask() {
    tasks.submit("get-1", "priority", 3);
    JsonNode g = tasks.get("get-1");
    assertThat(g.path("task_id").asText()).isEqualTo("get-1");
    assertThat(g.path("priority").asInt()).isEqualTo(3);
    assertThat(g.path("status").asText()).isEqualTo("queued");
  }

  @Test
  void readModel_matchesGetReplies_andEventLogHasOneRowPerStreamEvent() throws Exception {
    JsonNode c = tasks.submitAndClaim("rm-1", "rm-node");
    client.task("start", fenced("rm-1", c));
    client.task("attempt", fenced("rm-1", c, "approach", "a1", "result", "r1", "keep", false));
    client.task("attempt", fenced("rm-1", c, "approach", "a2", "result", "r2", "keep", true));
    client.task("complete", fenced("rm-1", c, "result", Map.of("success", true, "summary", "ok")));
    JsonNode c2 = tasks.submitAndClaim("rm-2", "rm-node");
    client.task(
        "fail",
        fenced(
            "rm-2",
            c2,
            "reason",
            "bad",
            "attempts",
            List.of(Map.of("approach", "x", "result", "y", "keep", false))));
    tasks.submit("rm-3");
    tasks.awaitProjected();

    try (Connection db = tasks.mesh().db().connect()) {
      List<String> taskIds = new ArrayList<>();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT task_id, status, owner, result::text FROM tasks ORDER BY task_id")) {
        while (rs.next()) {
          String id = rs.getString(1);
          taskIds.add(id);
          JsonNode g = tasks.get(id);
          assertThat(rs.getString(2)).as("status of %s", id).isEqualTo(g.path("status").asText());
          assertThat(rs.getString(3))
              .as("owner of %s", id)
              .isEqualTo(g.path("owner").isNull() ? null : g.path("owner").asText());
          JsonNode result =
              rs.getString(4) == null ? Json.mapper().nullNode() : json(rs.getString(4));
          assertThat(result).as("result of %s", id).isEqualTo(g.path("result"));
        }
      }
      assertThat(taskIds).contains("rm-1", "rm-2", "rm-3");
      for (String id : taskIds) {
        JsonNode attempts = tasks.get(id).path("attempts");
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps =
            db.prepareStatement(
                "SELECT approach, result, keep, recorded_at FROM task_attempts WHERE task_id = ? ORDER BY seq")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows.add(
                  rs.getString(1)
                      + "|"
                      + rs.getString(2)
                      + "|"
                      + rs.getBoolean(3)
                      + "|"
                      + rs.getTimestamp(4).toInstant());
            }
          }
        }
        List<String> fromGet = new ArrayList<>();
        for (JsonNode a : attempts) {
          fromGet.add(
              a.path("approach").asText(null)
                  + "|"
                  + a.path("result").asText(null)
                  + "|"
                  + a.path("keep").asBoolean()
                  + "|"
                  + instant(a.path("timestamp")));
        }
        assertThat(rows).as("attempts of %s", id).isEqualTo(fromGet);
      }
      assertThat(tasks.get("rm-1").path("attempts")).hasSize(2);
      assertThat(tasks.get("rm-2").path("attempts")).hasSize(1);

      long last = tasks.lastSeq();
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM event_log")) {
        rs.next();
        assertThat(rs.getLong(1)).as("event_log rows").isEqualTo(last);
        assertThat(rs.getLong(2)).isEqualTo(last);
        assertThat(rs.getLong(3)).isEqualTo(1);
        assertThat(rs.getLong(4)).isEqualTo(last);
      }
      try (Statement s = db.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT type FROM event_log WHERE aggregate_id = 'rm-1' ORDER BY seq")) {
        List<String> types = new ArrayList<>();
        while (rs.next()) {
          types.add(rs.getString(1));
        }
        assertThat(types)
            .containsExactly(
                "task.submitted",
                "task.claimed",
                "task.started",
                "task.attempt_recorded",
                "task.attempt_recorded",
                "task.completed");
      }
    }
  }
}
