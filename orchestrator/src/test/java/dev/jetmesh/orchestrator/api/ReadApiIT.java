package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read API against a real orchestrator, NATS and Postgres, with data made through the wire
 * ({@link ApiData}): filters, keyset pages, every body in snake_case, one problem+json shape for
 * every error, and what a task, a session, a plan and a node show.
 */
class ReadApiIT {
  static ApiData data;
  static Http http;

  @BeforeAll
  static void up() {
    data = ApiData.start(Map.of());
    http = data.http;
  }

  @AfterAll
  static void down() {
    data.close();
  }

  @Test
  void everyBody_isSnakeCase() {
    for (String path :
        List.of(
            "/health",
            "/ready",
            "/api/tasks",
            "/api/tasks/api-done",
            "/api/tasks/api-done/events",
            "/api/attempts",
            "/api/collab",
            "/api/collab/" + data.sessionId,
            "/api/collab/" + data.sessionId + "/timeline",
            "/api/collab/" + data.sessionId + "/replay",
            "/api/plans",
            "/api/plans/" + data.planId,
            "/api/nodes",
            "/api/nodes/node-b")) {
      List<String> bad = new ArrayList<>();
      keys(http.json(path), bad);
      assertThat(bad).as(path).isEmpty();
    }
  }

  @Test
  void tasks_areFilteredByEveryFilter() {
    assertThat(ids("/api/tasks?owner=node-a")).containsExactly("api-done");
    assertThat(ids("/api/tasks?tag=api")).containsExactly("api-done", "api-running");
    assertThat(ids("/api/tasks?status=running")).containsExactly("api-running");
    assertThat(ids("/api/tasks?session=" + data.sessionId)).containsExactly("api-collab");
    JsonNode plan = http.json("/api/plans/" + data.planId);
    String first = plan.path("waves").get(0).path("subtasks").get(0).path("task_id").asText();
    assertThat(ids("/api/tasks?plan=" + data.planId))
        .containsExactlyInAnyOrder("api-parent", first);
    List<String> queued = ids("/api/tasks?status=queued&limit=500");
    assertThat(queued).contains("api-queued", "api-page-1", "api-page-4", first);
    assertThat(queued).doesNotContain("api-done", "api-running");

    Instant cut = Instant.parse(http.json("/api/tasks/api-page-3").path("created_at").asText());
    assertThat(ids("/api/tasks?since=" + cut + "&limit=500"))
        .contains("api-page-3", "api-page-4")
        .doesNotContain("api-page-1", "api-page-2", "api-done");
    assertThat(ids("/api/tasks?since=2999-01-01T00:00:00Z")).isEmpty();
  }

  @Test
  void taskSummary_namesItsPlanSessionAttemptsAndCost() {
    JsonNode done = item("/api/tasks?owner=node-a", 0);
    assertThat(done.path("attempts").asInt()).isEqualTo(2);
    assertThat(done.path("cost_usd").decimalValue()).isEqualByComparingTo("0.03");
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(Instant.parse(done.path("updated_at").asText()))
        .isAfter(Instant.parse(done.path("submitted_at").asText()));
    assertThat(item("/api/tasks?session=" + data.sessionId, 0).path("session_id").asText())
        .isEqualTo(data.sessionId);
    assertThat(item("/api/tasks?tag=later", 0).path("cost_usd").isNull()).isTrue();
    for (JsonNode t : http.json("/api/tasks?plan=" + data.planId).path("items")) {
      assertThat(t.path("plan_id").asText()).as(t.path("task_id").asText()).isEqualTo(data.planId);
    }
  }

  @Test
  void tasks_pageByKeyset_inClaimOrder_andAPageNeverRepeatsARow() {
    List<String> all = ids("/api/tasks?limit=500");
    assertThat(all.subList(0, 3)).containsExactly("api-done", "api-running", "api-queued");
    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          http.json("/api/tasks?limit=2" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
      page.path("items").forEach(t -> paged.add(t.path("task_id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      if (pages++ == 1) {
        // A task submitted while paging comes last (priority 0, newest) and only once.
        data.submit("api-late");
        data.mesh.awaitProjected();
      }
    } while (cursor != null);
    assertThat(pages).isGreaterThan(3);
    List<String> expected = new ArrayList<>(all);
    expected.add("api-late");
    assertThat(paged).containsExactlyElementsOf(expected);
  }

  @Test
  void badFiltersCursorsAndParameters_are400Problems() {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("/api/tasks?status=bogus", "Unknown task status: bogus"),
            Map.entry("/api/tasks?stauts=queued", "Unknown query parameter 'stauts'"),
            Map.entry("/api/tasks?status=queued&status=running", "given twice"),
            Map.entry("/api/tasks?owner=a.b", "Invalid owner"),
            Map.entry("/api/tasks?since=yesterday", "Invalid since"),
            Map.entry("/api/tasks?limit=0", "limit must be between 1 and 500"),
            Map.entry("/api/tasks?limit=501", "limit must be between 1 and 500"),
            Map.entry("/api/tasks?cursor=nonsense", "Invalid cursor"),
            Map.entry("/api/attempts?outcome=bogus", "Unknown attempt outcome: bogus"),
            Map.entry("/api/attempts?cursor=" + taskCursor(), "Invalid cursor"),
            Map.entry("/api/collab?status=bogus", "Unknown collab session status: bogus"),
            Map.entry("/api/plans?status=bogus", "Unknown plan status: bogus"),
            Map.entry("/api/nodes?status=bogus", "Unknown node status: bogus"),
            Map.entry("/api/tasks/bad.id", "Invalid task_id"),
            Map.entry("/api/collab/x/replay?format=pdf", "Invalid format 'pdf'"),
            Map.entry("/api/events?aggregate=bogus", "Unknown aggregate 'bogus'"),
            Map.entry("/api/events?id=api-done", "id needs aggregate"),
            Map.entry("/api/events?since=-1", "Invalid since"),
            Map.entry("/health?verbose=1", "this route takes none"));
    cases.forEach(
        (path, detail) -> {
          JsonNode p = problem(http.get(path), 400, path);
          assertThat(p.path("code").asText()).as(path).isEqualTo("INVALID_REQUEST");
          assertThat(p.path("detail").asText()).as(path).contains(detail);
        });
  }

  @Test
  void unknownIdsRoutesAndMethods_areProblemsOfOneShape() {
    for (String path :
        List.of(
            "/api/tasks/nope",
            "/api/tasks/nope/events",
            "/api/collab/nope",
            "/api/collab/nope/timeline",
            "/api/collab/nope/replay",
            "/api/plans/nope",
            "/api/nodes/nope")) {
      JsonNode p = problem(http.get(path), 404, path);
      assertThat(p.path("code").asText()).isEqualTo("NOT_FOUND");
      assertThat(p.path("detail").asText()).as(path).endsWith("nope not found");
    }
    JsonNode route = problem(http.get("/api/nothing/here"), 404, "unknown route");
    assertThat(route.path("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(route.path("detail").asText()).isEqualTo("No route GET /api/nothing/here");
    JsonNode method = problem(http.send("POST", "/api/tasks"), 405, "POST");
    assertThat(method.path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(method.path("detail").asText())
        .isEqualTo("Method POST is not allowed on /api/tasks");
  }

  /**
   * Found by the hostile-input generator: what Jetty refuses before any route runs came back as an
   * HTML page, and {@code /metrics} ignored parameters it does not know.
   */
  @Test
  void serverRefusals_andMetricsParameters_areProblemJson() {
    JsonNode uri = problem(http.get("/api/tasks?x=" + "q".repeat(20_000)), 414, "long URI");
    assertThat(uri.path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(uri.path("detail").asText()).isEqualTo("URI Too Long");
    JsonNode header =
        problem(http.get("/api/tasks", "X-Big", "h".repeat(20_000)), 431, "long header");
    assertThat(header.path("code").asText()).isEqualTo("INVALID_REQUEST");
    JsonNode path = problem(http.get("/api/tasks/a%00"), 400, "NUL in a path");
    assertThat(path.path("code").asText()).isEqualTo("INVALID_REQUEST");
    assertThat(path.path("detail").asText()).doesNotContain("<", "jetty", "Exception");
    JsonNode metrics = problem(http.get("/metrics?bogus=1"), 400, "metrics parameter");
    assertThat(metrics.path("detail").asText())
        .isEqualTo("Unknown query parameter 'bogus': this route takes none");
  }

  @Test
  void aTask_showsItsAttemptsLinksAndRelations() {
    JsonNode t = http.json("/api/tasks/api-done");
    assertThat(t.path("status").asText()).isEqualTo("completed");
    assertThat(t.path("owner").asText()).isEqualTo("node-a");
    assertThat(t.path("tags").toString()).isEqualTo("[\"docs\",\"api\"]");
    JsonNode a = t.path("attempts");
    assertThat(a).hasSize(2);
    assertThat(a.get(0).path("outcome").asText()).isEqualTo("metric_failed");
    assertThat(a.get(0).path("exit_code").asInt()).isEqualTo(1);
    assertThat(a.get(0).path("metric_score").decimalValue()).isEqualByComparingTo("0.4");
    assertThat(a.get(0).path("tokens_in").asLong()).isEqualTo(10);
    assertThat(a.get(0).path("tokens_out").asLong()).isEqualTo(20);
    assertThat(a.get(0).path("cost_usd").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(a.get(0).path("duration_ms").asLong()).isEqualTo(1200);
    assertThat(
            Instant.parse(a.get(0).path("ended_at").asText()).toEpochMilli()
                - Instant.parse(a.get(0).path("started_at").asText()).toEpochMilli())
        .isEqualTo(1200);
    assertThat(a.get(1).path("outcome").asText()).isEqualTo("kept");
    assertThat(a.get(1).path("seq").asLong()).isGreaterThan(a.get(0).path("seq").asLong());
    assertThat(t.path("session_id").isNull()).isTrue();
    assertThat(t.path("plan_id").isNull()).isTrue();
    assertThat(t.path("links").path("events").asText()).isEqualTo("/api/tasks/api-done/events");
    assertThat(http.get(t.path("links").path("events").asText()).statusCode()).isEqualTo(200);

    JsonNode collab = http.json("/api/tasks/api-collab");
    assertThat(collab.path("session_id").asText()).isEqualTo(data.sessionId);
    assertThat(collab.path("links").path("session").asText())
        .isEqualTo("/api/collab/" + data.sessionId);
    assertThat(http.json("/api/tasks/api-parent").path("plan_id").asText()).isEqualTo(data.planId);
  }

  @Test
  void aTasksEvents_areItsStream_inOrder_andPage() {
    JsonNode all = http.json("/api/tasks/api-done/events");
    List<String> types = new ArrayList<>();
    all.path("items").forEach(e -> types.add(e.path("type").asText()));
    assertThat(types)
        .containsExactly(
            "task.submitted",
            "task.claimed",
            "task.started",
            "task.attempt_recorded",
            "task.attempt_recorded",
            "task.completed");
    assertThat(all.path("items").get(3).path("data").path("attempt").path("exit_code").asInt())
        .isEqualTo(1);
    assertThat(all.path("items").get(0).path("aggregate_id").asText()).isEqualTo("api-done");
    List<String> paged = new ArrayList<>();
    JsonNode page = http.json("/api/tasks/api-done/events?limit=4");
    page.path("items").forEach(e -> paged.add(e.path("type").asText()));
    page =
        http.json(
            "/api/tasks/api-done/events?limit=4&cursor=" + enc(page.path("next_cursor").asText()));
    page.path("items").forEach(e -> paged.add(e.path("type").asText()));
    assertThat(page.path("next_cursor").isNull()).isTrue();
    assertThat(paged).containsExactlyElementsOf(types);
  }

  @Test
  void attempts_acrossTasks_areFiltered_newestFirst() {
    assertThat(attemptNumbers("/api/attempts?task=api-done")).containsExactly(2, 1);
    assertThat(attemptNumbers("/api/attempts?provider=shell&model=sh")).containsExactly(2, 1);
    assertThat(attemptNumbers("/api/attempts?node=node-a&outcome=kept")).containsExactly(2);
    assertThat(attemptNumbers("/api/attempts?outcome=metric_failed")).containsExactly(1);
    assertThat(attemptNumbers("/api/attempts?outcome=failed")).isEmpty();
    assertThat(attemptNumbers("/api/attempts?node=node-b")).isEmpty();
    assertThat(attemptNumbers("/api/attempts?provider=codex")).isEmpty();
    assertThat(attemptNumbers("/api/attempts?since=2999-01-01T00:00:00Z")).isEmpty();
    JsonNode first = http.json("/api/attempts?task=api-done&limit=1");
    assertThat(first.path("items").get(0).path("attempt").asInt()).isEqualTo(2);
    JsonNode second =
        http.json(
            "/api/attempts?task=api-done&limit=1&cursor="
                + enc(first.path("next_cursor").asText()));
    assertThat(second.path("items").get(0).path("attempt").asInt()).isEqualTo(1);
    assertThat(second.path("next_cursor").isNull()).isTrue();
  }

  @Test
  void aSession_showsRoundsReflectionsVotesAndDecision() {
    JsonNode list = http.json("/api/collab");
    JsonNode s = list.path("items").get(0);
    assertThat(s.path("session_id").asText()).isEqualTo(data.sessionId);
    assertThat(s.path("members").toString()).isEqualTo("[\"node-a\",\"node-b\"]");
    assertThat(s.path("round").asInt()).isEqualTo(1);
    assertThat(http.json("/api/collab?status=aborted").path("items")).isEmpty();

    JsonNode one = http.json("/api/collab/" + data.sessionId);
    JsonNode round = one.path("rounds").get(0);
    assertThat(round.path("reflections")).hasSize(2);
    assertThat(round.path("votes").findValuesAsText("vote"))
        .containsExactly("converged", "converged");
    assertThat(round.path("votes").findValuesAsText("kind")).containsOnly("member");
    assertThat(round.path("decision").asText()).isEqualTo("converged");
    assertThat(one.path("decision").path("outcome").asText()).isEqualTo("converged");

    JsonNode timeline = http.json("/api/collab/" + data.sessionId + "/timeline");
    assertThat(timeline.path("items").get(0).path("type").asText())
        .isEqualTo("collab.session_created");
    assertThat(timeline.path("items").findValuesAsText("type")).contains("collab.converged");

    JsonNode replay = http.json("/api/collab/" + data.sessionId + "/replay");
    assertThat(replay.path("session_id").asText()).isEqualTo(data.sessionId);
    assertThat(replay.path("mismatches").asInt()).isZero();
    assertThat(replay.path("votes").get(0).has("coordinator_vote")).isTrue();
    HttpResponse<String> text = http.get("/api/collab/" + data.sessionId + "/replay?format=text");
    assertThat(text.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(text.body()).startsWith("session " + data.sessionId);
  }

  @Test
  void aPlan_showsItsWavesProgressAndHistory() {
    JsonNode s = http.json("/api/plans").path("items").get(0);
    assertThat(s.path("plan_id").asText()).isEqualTo(data.planId);
    assertThat(s.path("progress").path("total").asInt()).isEqualTo(2);
    assertThat(s.path("progress").path("queued").asInt()).isEqualTo(1);
    assertThat(s.path("progress").path("pending").asInt()).isEqualTo(1);
    assertThat(s.path("progress").path("percent").asInt()).isZero();
    assertThat(http.json("/api/plans?parent_task_id=api-parent").path("items")).hasSize(1);
    assertThat(http.json("/api/plans?status=completed").path("items")).isEmpty();

    JsonNode p = http.json("/api/plans/" + data.planId);
    assertThat(p.path("status").asText()).isEqualTo("executing");
    assertThat(p.path("waves")).hasSize(2);
    JsonNode a = p.path("waves").get(0).path("subtasks").get(0);
    assertThat(a.path("subtask_id").asText()).isEqualTo("api-st-a");
    assertThat(a.path("status").asText()).isEqualTo("queued");
    assertThat(http.get("/api/tasks/" + a.path("task_id").asText()).statusCode()).isEqualTo(200);
    assertThat(p.path("waves").get(1).path("subtasks").get(0).path("depends_on").toString())
        .isEqualTo("[\"api-st-a\"]");
    assertThat(p.path("progress").path("total").asInt()).isEqualTo(2);
    assertThat(p.path("history").get(0).path("type").asText()).isEqualTo("plan.created");
    assertThat(p.path("history").get(0).path("data").path("subtasks").isArray()).isTrue();
  }

  @Test
  void nodes_showHealthLastSeenAndCurrentWork() {
    JsonNode list = http.json("/api/nodes");
    assertThat(list.path("items").findValuesAsText("node_id")).containsExactly("node-a", "node-b");
    JsonNode b = list.path("items").get(1);
    assertThat(b.path("current_work").get(0).path("task_id").asText()).isEqualTo("api-running");
    assertThat(b.path("current_work").get(0).path("status").asText()).isEqualTo("running");
    assertThat(list.path("items").get(0).path("current_work")).isEmpty();
    assertThat(b.path("last_seen").isNull()).isFalse();
    JsonNode one = http.json("/api/nodes/node-b");
    assertThat(one.path("current_work").get(0).path("title").asText())
        .isEqualTo("Task api-running");
    JsonNode page = http.json("/api/nodes?limit=1");
    assertThat(page.path("items").findValuesAsText("node_id")).containsExactly("node-a");
    JsonNode next =
        http.json("/api/nodes?limit=1&cursor=" + enc(page.path("next_cursor").asText()));
    assertThat(next.path("items").findValuesAsText("node_id")).containsExactly("node-b");
    assertThat(http.json("/api/nodes?status=removed").path("items")).isEmpty();
  }

  @Test
  void ready_isOk_whenCaughtUp() {
    JsonNode r = http.json("/ready");
    assertThat(r.path("ok").asBoolean()).isTrue();
    assertThat(r.path("nats").asBoolean()).isTrue();
    assertThat(r.path("postgres").asBoolean()).isTrue();
    assertThat(r.path("max_lag").asLong()).isEqualTo(10_000);
    assertThat(r.path("projection_lag").asLong()).isBetween(0L, 10_000L);
    assertThat(r.path("reason").isNull()).isTrue();
  }

  static List<String> ids(String path) {
    List<String> out = new ArrayList<>();
    http.json(path).path("items").forEach(t -> out.add(t.path("task_id").asText()));
    return out;
  }

  static JsonNode item(String path, int i) {
    return http.json(path).path("items").get(i);
  }

  static List<Integer> attemptNumbers(String path) {
    List<Integer> out = new ArrayList<>();
    http.json(path).path("items").forEach(a -> out.add(a.path("attempt").asInt()));
    return out;
  }

  static String taskCursor() {
    return enc(http.json("/api/tasks?limit=1").path("next_cursor").asText());
  }

  static JsonNode problem(HttpResponse<String> r, int status, String what) {
    assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type").orElse(""))
        .as(what)
        .startsWith("application/problem+json");
    JsonNode p = Http.parse(r.body());
    assertThat(p.path("status").asInt()).as(what).isEqualTo(status);
    assertThat(p.path("type").asText())
        .as(what)
        .isEqualTo(
            "https://jetmesh.dev/problems/"
                + p.path("code").asText().toLowerCase(java.util.Locale.ROOT));
    assertThat(p.path("title").asText()).as(what).isEqualTo(p.path("code").asText());
    return p;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Content sent by clients or keyed by ids, not named by the API: its keys are not checked. */
  static final java.util.Set<String> CONTENT =
      java.util.Set.of(
          "result", "data", "payload", "health", "host", "members", "node_contributions");

  /** Every object key under {@code n} that is not snake_case. */
  static void keys(JsonNode n, List<String> bad) {
    if (n.isObject()) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.matches("[a-z0-9_]+")) {
          bad.add(k);
        }
        if (!CONTENT.contains(k)) {
          keys(n.get(k), bad);
        }
      }
    } else if (n.isArray()) {
      n.forEach(e -> keys(e, bad));
    }
  }
}
