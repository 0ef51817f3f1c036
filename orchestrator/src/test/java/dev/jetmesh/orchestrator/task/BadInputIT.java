package dev.jetmesh.orchestrator.task;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every {@code mesh.tasks.*} subject: each request gets {@code ok:false} with a clear
 * error, appends nothing to the stream, and the orchestrator keeps serving. The server accepts
 * payloads up to 8 MB, so that a 2 MB body reaches jetmesh and is refused by its own limit.
 */
class BadInputIT {
  private static final List<String> SUBJECTS =
      List.of(
          "submit",
          "claim",
          "start",
          "attempt",
          "heartbeat",
          "complete",
          "fail",
          "release",
          "cancel",
          "get",
          "list");
  private static final List<String> TASK_ID_SUBJECTS =
      List.of("start", "attempt", "heartbeat", "complete", "fail", "release", "cancel", "get");
  private static final List<String> FENCED_SUBJECTS =
      List.of("start", "attempt", "heartbeat", "complete", "fail", "release");
  private static final List<String> BAD_IDS =
      List.of("a.b", "a*", "a>", "a b", " ab", "ab\t", "a.*", ">", "x".repeat(201), "ä");
  private static final String HELD = "held-1";
  private static final int MAX_REQUEST_BYTES = 256 * 1024;

  static TestMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void up() {
    mesh = TestMesh.start(Map.of(), "max_payload: 8MB");
    client = mesh.client();
    client.task("submit", Map.of("task_id", HELD, "title", "held"));
    mesh.awaitProjected();
    JsonNode c = client.task("claim", Map.of("node_id", "held-node"));
    assertThat(c.path("task_id").asText()).isEqualTo(HELD);
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  private static String invalidId(String field) {
    return "Invalid " + field + ": must be 1-200 characters of A-Z, a-z, 0-9, '_' or '-'";
  }

  /** One bad request: subject, body (bytes, raw string or map), and the expected error. */
  record Case(String op, Object body, String error, boolean prefixOnly) {
    @Override
    public String toString() {
      String b =
          switch (body) {
            case null -> "(empty)";
            case byte[] bytes -> bytes.length + " bytes";
            default -> String.valueOf(body);
          };
      return op + " " + (b.length() > 80 ? b.substring(0, 80) + "…" : b);
    }
  }

  private static Case exact(String op, Object body, String error) {
    return new Case(op, body, error, false);
  }

  private static Case prefix(String op, Object body, String error) {
    return new Case(op, body, error, true);
  }

  static Stream<Case> notJson() {
    List<Case> out = new ArrayList<>();
    for (String op : SUBJECTS) {
      out.add(prefix(op, "{oops", "Invalid JSON: "));
      out.add(prefix(op, "{\"task_id\":\"" + HELD + "\"", "Invalid JSON: "));
      out.add(prefix(op, "{\"task_id\":\"" + HELD + "\"} trailing", "Invalid JSON: "));
      out.add(prefix(op, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}, "Invalid JSON: "));
      out.add(exact(op, "[]", "Request body must be a JSON object"));
      out.add(
          exact(
              op,
              "[{\"task_id\":\"" + HELD + "\",\"node_id\":\"held-node\"}]",
              "Request body must be a JSON object"));
      out.add(exact(op, "\"" + HELD + "\"", "Request body must be a JSON object"));
      out.add(exact(op, "42", "Request body must be a JSON object"));
      out.add(exact(op, "null", "Request body must be a JSON object"));
    }
    return out.stream();
  }

  static Stream<Case> unknownFields() {
    List<Case> out = new ArrayList<>();
    out.add(
        exact(
            "submit",
            Map.of("task_id", "uf-1", "title", "t", "bogus", 1),
            "Unknown field 'bogus'"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "uf-1", "title", "t", "taskId", "x"),
            "Unknown field 'taskId'"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "uf-1", "title", "t", "status", "completed"),
            "Unknown field 'status'"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "uf-1", "title", "t", "owner", "n1"),
            "Unknown field 'owner'"));
    out.add(exact("claim", Map.of("node_id", "uf-node", "bogus", true), "Unknown field 'bogus'"));
    for (String op : TASK_ID_SUBJECTS) {
      out.add(exact(op, Map.of("task_id", HELD, "bogus", "x"), "Unknown field 'bogus'"));
    }
    out.add(exact("list", Map.of("bogus", 1), "Unknown field 'bogus'"));
    out.add(exact("list", Map.of("status", "queued", "node_id", "x"), "Unknown field 'node_id'"));
    return out.stream();
  }

  static Stream<Case> wrongTypes() {
    String str = "has the wrong type: expected string";
    String integer = "has the wrong type: expected integer";
    return Stream.of(
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "budget_minutes", "10"),
            "Field 'budget_minutes' " + integer),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "budget_minutes", 2.5),
            "Field 'budget_minutes' " + integer),
        exact("submit", Map.of("task_id", 42, "title", "t"), "Field 'task_id' " + str),
        exact("submit", Map.of("task_id", "wt-1", "title", Map.of("x", 1)), "Field 'title' " + str),
        exact("submit", Map.of("task_id", "wt-1", "title", List.of("t")), "Field 'title' " + str),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "priority", "high"),
            "Field 'priority' " + integer),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "priority", true),
            "Field 'priority' " + integer),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "tags", "x"),
            "Field 'tags' has the wrong type: expected array"),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "depends_on", List.of(1)),
            "Field 'depends_on[0]' " + str),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "description", 7),
            "Field 'description' " + str),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "collaboration", "yes"),
            "Field 'collaboration' must be an object or null"),
        exact("claim", Map.of("node_id", 5), "Field 'node_id' " + str),
        exact("claim", Map.of("node_id", List.of("n1")), "Field 'node_id' " + str),
        exact("start", Map.of("task_id", 42), "Field 'task_id' " + str),
        exact(
            "start", Map.of("task_id", HELD, "claim_token", "7"), "Field 'claim_token' " + integer),
        exact("start", Map.of("task_id", HELD, "node_id", Map.of()), "Field 'node_id' " + str),
        exact(
            "attempt",
            Map.of("task_id", HELD, "keep", "true"),
            "Field 'keep' has the wrong type: expected boolean"),
        exact(
            "attempt",
            Map.of("task_id", HELD, "keep", 1),
            "Field 'keep' has the wrong type: expected boolean"),
        exact("attempt", Map.of("task_id", HELD, "approach", 5), "Field 'approach' " + str),
        exact("attempt", Map.of("task_id", HELD, "exit_code", "0"), "Field 'exit_code' " + integer),
        exact(
            "attempt",
            Map.of("task_id", HELD, "claim_token", "x"),
            "Field 'claim_token' " + integer),
        exact("heartbeat", Map.of("task_id", 42), "Field 'task_id' " + str),
        exact(
            "heartbeat",
            Map.of("task_id", HELD, "claim_token", "7"),
            "Field 'claim_token' " + integer),
        exact("complete", Map.of("task_id", true), "Field 'task_id' " + str),
        exact(
            "complete",
            Map.of("task_id", HELD, "claim_token", "abc"),
            "Field 'claim_token' " + integer),
        exact(
            "fail",
            Map.of("task_id", HELD, "attempts", "x"),
            "Field 'attempts' has the wrong type: expected array"),
        exact("fail", Map.of("task_id", HELD, "reason", 5), "Field 'reason' " + str),
        exact(
            "fail",
            Map.of("task_id", HELD, "attempts", List.of(Map.of("keep", "no"))),
            "Field 'attempts[0].keep' has the wrong type: expected boolean"),
        exact(
            "release",
            Map.of("task_id", HELD, "attempts", Map.of("a", 1)),
            "Field 'attempts' has the wrong type: expected array"),
        exact("release", Map.of("task_id", HELD, "reason", List.of()), "Field 'reason' " + str),
        exact("cancel", Map.of("task_id", 1), "Field 'task_id' " + str),
        exact("cancel", Map.of("task_id", HELD, "reason", false), "Field 'reason' " + str),
        exact("get", Map.of("task_id", 42), "Field 'task_id' " + str),
        exact("list", Map.of("status", 5), "Field 'status' " + str),
        exact("list", Map.of("owner", 5), "Field 'owner' " + str),
        exact("list", Map.of("limit", "10"), "Field 'limit' " + integer),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "budget_usd", "1.5"),
            "Field 'budget_usd' has the wrong type: expected number"),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "metric_threshold", true),
            "Field 'metric_threshold' has the wrong type: expected number"),
        exact(
            "submit",
            Map.of("task_id", "wt-1", "title", "t", "metric_direction", 1),
            "Field 'metric_direction' has the wrong type: expected string"),
        exact(
            "attempt",
            Map.of("task_id", HELD, "metric_score", "0.9"),
            "Field 'metric_score' has the wrong type: expected number"));
  }

  static Stream<Case> badValues() {
    List<Case> out = new ArrayList<>();
    // Valid JSON that Postgres cannot store: it would halt the projector if it were appended.
    out.add(
        exact(
            "submit",
            "{\"task_id\":\"nul-1\",\"title\":\"t\",\"description\":\"a\\u0000b\"}",
            "Field 'description' must not contain a NUL character"));
    out.add(
        exact(
            "submit",
            "{\"task_id\":\"nul-1\",\"title\":\"t\",\"tags\":[\"ok\",\"\\u0000\"]}",
            "Field 'tags[1]' must not contain a NUL character"));
    out.add(
        exact(
            "complete",
            "{\"task_id\":\"" + HELD + "\",\"result\":{\"summary\":\"x\\u0000\"}}",
            "Field 'result.summary' must not contain a NUL character"));
    out.add(exact("list", Map.of("status", "bogus"), "Unknown task status: bogus"));
    out.add(exact("list", Map.of("status", "QUEUED"), "Unknown task status: QUEUED"));
    out.add(exact("list", Map.of("status", ""), "Unknown task status: "));
    out.add(exact("list", Map.of("limit", 0), "limit must be between 1 and 10000"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "bv-1", "title", "t", "collaboration", Map.of("mode", "solo")),
            "Invalid collaboration spec: mode must be parallel, sequential or review"));
    out.add(
        exact(
            "submit",
            Map.of(
                "task_id",
                "bv-1",
                "title",
                "t",
                "collaboration",
                Map.of("convergence", Map.of("type", "foo"))),
            "Invalid collaboration spec: convergence.type must be unanimous, majority,"
                + " coordinator or metric"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "bv-1", "title", "t", "budget_minutes", -5),
            "budget_minutes must be between 1 and 10080 (0 or absent: 30)"));
    // metric score target and money budget
    out.add(
        exact(
            "submit",
            Map.of("task_id", "bv-1", "title", "t", "metric_direction", "up"),
            "Invalid metric_direction 'up': must be higher or lower"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "bv-1", "title", "t", "metric_direction", "HIGHER"),
            "Invalid metric_direction 'HIGHER': must be higher or lower"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "bv-1", "title", "t", "metric_threshold", 2e15),
            "metric_threshold must be a number between -1e15 and 1e15 with at most 15 decimals:"
                + " 2E+15"));
    for (Object budget : List.of(0, -1, new java.math.BigDecimal("0.0"), 1_000_000)) {
      out.add(
          prefix(
              "submit",
              Map.of("task_id", "bv-1", "title", "t", "budget_usd", budget),
              "budget_usd must be a positive number of dollars below 1000000 with at most 12"
                  + " decimals: "));
    }
    out.add(
        exact(
            "submit",
            "{\"task_id\":\"bv-1\",\"title\":\"t\",\"budget_usd\":0.0000000000001}",
            "budget_usd must be a positive number of dollars below 1000000 with at most 12"
                + " decimals: 1E-13"));
    out.add(
        exact(
            "attempt",
            Map.of("task_id", HELD, "approach", "a", "result", "r", "cost_usd", -0.01),
            "cost_usd must be a number of dollars from 0 to below 1000000 with at most 12"
                + " decimals: -0.01"));
    out.add(
        exact(
            "attempt",
            "{\"task_id\":\"" + HELD + "\",\"metric_score\":1e16}",
            "metric_score must be a number between -1e15 and 1e15 with at most 15 decimals:"
                + " 1E+16"));
    out.add(
        exact(
            "fail",
            Map.of(
                "task_id",
                HELD,
                "attempts",
                List.of(Map.of("approach", "a", "result", "r", "cost_usd", -1))),
            "attempts[].cost_usd must be a number of dollars from 0 to below 1000000 with at most"
                + " 12 decimals: -1"));
    out.add(
        exact(
            "submit",
            Map.of("task_id", "bv-1", "title", "t", "tags", java.util.Arrays.asList("a", null)),
            "Field 'tags' must not contain null"));
    for (String id : BAD_IDS) {
      out.add(exact("submit", Map.of("task_id", id, "title", "t"), invalidId("task_id")));
      out.add(
          exact(
              "submit",
              Map.of("task_id", "bv-2", "title", "t", "depends_on", List.of("ok", id)),
              invalidId("depends_on entry")));
      out.add(
          exact(
              "submit",
              Map.of("task_id", "bv-2", "title", "t", "preferred_nodes", List.of(id)),
              invalidId("preferred_nodes entry")));
      out.add(
          exact(
              "submit",
              Map.of("task_id", "bv-2", "title", "t", "exclude_nodes", List.of(id)),
              invalidId("exclude_nodes entry")));
      out.add(exact("claim", Map.of("node_id", id), invalidId("node_id")));
      for (String op : TASK_ID_SUBJECTS) {
        out.add(exact(op, Map.of("task_id", id), invalidId("task_id")));
      }
      for (String op : FENCED_SUBJECTS) {
        out.add(exact(op, Map.of("task_id", HELD, "node_id", id), invalidId("node_id")));
      }
      out.add(exact("cancel", Map.of("task_id", HELD, "node_id", id), invalidId("node_id")));
      out.add(exact("list", Map.of("owner", id), invalidId("owner")));
    }
    return out.stream();
  }

  static Stream<Case> emptyBodies() {
    List<Case> out = new ArrayList<>();
    for (Object empty : new Object[] {null, "", "{}", "  "}) {
      out.add(exact("submit", empty, "task_id and title are required"));
      out.add(exact("claim", empty, "node_id is required"));
      for (String op : TASK_ID_SUBJECTS) {
        out.add(exact(op, empty, "task_id is required"));
      }
    }
    return out.stream();
  }

  static Stream<Case> oversized() {
    List<Case> out = new ArrayList<>();
    for (String op : SUBJECTS) {
      out.add(
          exact(
              op,
              twoMegabytes(),
              "Payload too large: "
                  + (2 * 1024 * 1024)
                  + " bytes (max "
                  + MAX_REQUEST_BYTES
                  + ")"));
    }
    return out.stream();
  }

  /** A valid JSON request of exactly 2 MB. */
  private static byte[] twoMegabytes() {
    String head = "{\"task_id\":\"" + HELD + "\",\"title\":\"big\",\"description\":\"";
    String tail = "\"}";
    int pad = 2 * 1024 * 1024 - head.length() - tail.length();
    return (head + "x".repeat(pad) + tail).getBytes(UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJson")
  void notJson_isRefused(Case c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownFields")
  void unknownField_isRefused(Case c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void wrongType_isRefused(Case c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValueOrId_isRefused(Case c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emptyBodies")
  void emptyBody_behavesAsEmptyObject(Case c) {
    check(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oversized")
  void twoMegabyteBody_isRefused_byJetmeshsOwnLimit(Case c) {
    check(c);
  }

  @Test
  void emptyBody_onList_listsEverything() {
    for (Object empty : new Object[] {null, "", "{}"}) {
      JsonNode all = client.ok("mesh.tasks.list", empty);
      assertThat(all.isArray()).isTrue();
      assertThat(all.findValuesAsText("task_id")).contains(HELD);
    }
  }

  @Test
  void bodyJustUnderTheLimit_isServed() {
    String head = "{\"task_id\":\"big-ok\",\"title\":\"big\",\"description\":\"";
    String tail = "\"}";
    byte[] body =
        (head + "x".repeat(MAX_REQUEST_BYTES - head.length() - tail.length()) + tail)
            .getBytes(UTF_8);
    assertThat(body).hasSize(MAX_REQUEST_BYTES);
    JsonNode t = client.ok("mesh.tasks.submit", body);
    assertThat(t.path("description").asText())
        .hasSize(MAX_REQUEST_BYTES - head.length() - tail.length());
  }

  @Test
  void unknownSubject_underTasks_isAnError() {
    long before = mesh.orchestrator().store().lastSequence();
    assertThat(client.error("mesh.tasks.bogus", Map.of()))
        .isEqualTo("Unknown subject mesh.tasks.bogus");
    assertThat(mesh.orchestrator().store().lastSequence()).isEqualTo(before);
    assertThat(client.task("get", Map.of("task_id", HELD)).path("task_id").asText())
        .isEqualTo(HELD);
  }

  /** The request is refused with the error, appends nothing, and a valid request then succeeds. */
  private static void check(Case c) {
    long before = mesh.orchestrator().store().lastSequence();
    JsonNode reply = client.request("mesh.tasks." + c.op(), c.body());
    assertThat(reply.path("ok").isBoolean()).as("reply %s", reply).isTrue();
    assertThat(reply.path("ok").asBoolean()).as("reply %s", reply).isFalse();
    assertThat(reply.has("data")).as("error replies carry no data: %s", reply).isFalse();
    String error = reply.path("error").asText();
    if (c.prefixOnly()) {
      assertThat(error).startsWith(c.error());
      assertThat(error).doesNotContain("\n");
    } else {
      assertThat(error).isEqualTo(c.error());
    }
    assertThat(mesh.orchestrator().store().lastSequence())
        .as("stream after refused request")
        .isEqualTo(before);
    JsonNode held = client.task("get", Map.of("task_id", HELD));
    assertThat(held.path("status").asText()).isEqualTo("claimed");
    assertThat(held.path("owner").asText()).isEqualTo("held-node");
  }
}
