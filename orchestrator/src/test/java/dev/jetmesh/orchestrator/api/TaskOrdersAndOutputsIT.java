package dev.jetmesh.orchestrator.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.store.Transcripts;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/tasks?order=} (claim, newest, updated: each paged exactly by its keyset cursor)
 * and {@code GET /api/tasks/{task_id}/attempts/{attempt}/output} (transcripts served from the real
 * object store), against a real orchestrator, NATS and Postgres with {@link ApiData}'s tasks. The
 * tests change the data (they cancel, submit and record attempts), so they have a mesh of their
 * own, not {@link ReadApiIT}'s.
 */
class TaskOrdersAndOutputsIT {
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
  void everyOrder_listsEveryTaskOnce_andPagesExactlyAsOneBigPage() {
    List<String> claim = ids("/api/tasks?limit=500");
    assertThat(ids("/api/tasks?order=claim&limit=500")).isEqualTo(claim);
    for (String order : List.of("claim", "newest", "updated")) {
      List<String> whole = ids("/api/tasks?order=" + order + "&limit=500");
      assertThat(whole).as(order).containsExactlyInAnyOrderElementsOf(claim);
      for (int size : List.of(1, 2, 3)) {
        List<String> paged = pages("/api/tasks?order=" + order, size);
        assertThat(paged).as(order + " by " + size).containsExactlyElementsOf(whole);
        assertThat(new HashSet<>(paged)).as(order + ": no duplicate").hasSameSizeAs(paged);
      }
      List<String> queued = ids("/api/tasks?status=queued&order=" + order);
      assertThat(pages("/api/tasks?status=queued&order=" + order, 2))
          .as(order + ", filtered")
          .containsExactlyElementsOf(queued);
    }
  }

  @Test
  void newest_isSubmissionOrderReversed_updated_isLatestChangeFirst() {
    List<String> newest = ids("/api/tasks?order=newest&limit=500");
    assertThat(newest)
        .containsSubsequence(
            "api-page-4", "api-page-3", "api-page-2", "api-page-1", "api-queued", "api-done");
    List<Instant> submitted = new ArrayList<>();
    for (String id : newest) {
      submitted.add(Instant.parse(http.json("/api/tasks/" + id).path("created_at").asText()));
    }
    for (int i = 1; i < submitted.size(); i++) {
      assertThat(submitted.get(i))
          .as("submitted_at of " + newest.get(i))
          .isBeforeOrEqualTo(submitted.get(i - 1));
    }

    // api-page-1, the oldest of the page tasks, changes last: it leads the updated order only.
    data.client.task("cancel", Map.of("task_id", "api-page-1", "reason", "order test"));
    data.mesh.awaitProjected();
    assertThat(ids("/api/tasks?order=updated").get(0)).isEqualTo("api-page-1");
    assertThat(ids("/api/tasks?order=newest&limit=500")).isEqualTo(newest);

    data.submit("api-order-new");
    data.mesh.awaitProjected();
    assertThat(ids("/api/tasks?order=newest&limit=2"))
        .containsExactly("api-order-new", newest.get(0));
    assertThat(ids("/api/tasks?order=updated&limit=2"))
        .containsExactly("api-order-new", "api-page-1");
    assertThat(ids("/api/tasks?order=claim&limit=500")).endsWith("api-order-new");
  }

  @Test
  void badOrders_andCursorsOfAnotherOrder_are400Problems() {
    String claimCursor =
        ReadApiIT.enc(http.json("/api/tasks?limit=1").path("next_cursor").asText());
    String newestCursor =
        ReadApiIT.enc(http.json("/api/tasks?order=newest&limit=1").path("next_cursor").asText());
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/tasks?order=bogus", "Unknown task order: bogus");
    cases.put("/api/tasks?order=NEWEST", "Unknown task order: NEWEST");
    cases.put("/api/tasks?order=newest&order=claim", "given twice");
    cases.put("/api/tasks?order=newest&cursor=" + claimCursor, "Invalid cursor");
    cases.put("/api/tasks?order=updated&cursor=" + newestCursor, "Invalid cursor");
    cases.put("/api/tasks?cursor=" + newestCursor, "Invalid cursor");
    cases.forEach(
        (path, detail) -> {
          JsonNode p = ReadApiIT.problem(http.get(path), 400, path);
          assertThat(p.path("code").asText()).as(path).isEqualTo("INVALID_REQUEST");
          assertThat(p.path("detail").asText()).as(path).contains(detail);
        });
  }

  @Test
  void anAttemptsTranscript_isServedAsStored_andLinkedFromTheTaskAndTheAttempts() {
    JsonNode attempts = http.json("/api/tasks/api-done").path("attempts");
    String link = "/api/tasks/api-done/attempts/2/output";
    assertThat(attempts.get(0).path("links").path("output").isNull()).isTrue();
    assertThat(attempts.get(1).path("links").path("output").asText()).isEqualTo(link);
    assertThat(
            http.json("/api/attempts?task=api-done")
                .path("items")
                .get(0)
                .path("links")
                .path("output")
                .asText())
        .isEqualTo(link);

    HttpResponse<String> r = http.get(link);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("").replace(" ", ""))
        .isEqualToIgnoringCase("text/plain;charset=utf-8");
    assertThat(r.body()).isEqualTo(ApiData.TRANSCRIPT);
  }

  @Test
  void aLargeTranscript_roundTripsByteForByte() throws Exception {
    // Many object-store chunks (128 KiB each), none of it ASCII-only.
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 1_500_000; i++) {
      text.append("line ").append(i).append(": ünïcödé ✓ ").append("x".repeat(i % 97)).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    String link = recordOnRunning(data.keep("api-running/big-transcript", bytes));
    HttpResponse<byte[]> r =
        Http.client()
            .send(
                HttpRequest.newBuilder(URI.create(http.base() + link))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(bytes);
  }

  @Test
  void aLinkInTheTranscriptBucket_isNeverFollowed() throws Exception {
    // given an object in a bucket the API does not serve, and a link to it in the transcript
    // bucket (which workers may write), recorded as an attempt's output
    var conn = data.client.connection();
    conn.objectStoreManagement()
        .create(
            io.nats.client.api.ObjectStoreConfiguration.builder("API_SECRETS")
                .storageType(io.nats.client.api.StorageType.Memory)
                .build());
    var secret =
        conn.objectStore("API_SECRETS")
            .put("secret", new java.io.ByteArrayInputStream("not for readers".getBytes(UTF_8)));
    Map<String, Object> linked = new LinkedHashMap<>(data.keep("api-running/to-be-linked"));
    linked.put("name", "api-running/linked");
    conn.objectStore(Transcripts.BUCKET).addLink("api-running/linked", secret);
    String link = recordOnRunning(linked);

    // when its transcript is asked for; then it is not there, and the secret is not served
    HttpResponse<String> r = http.get(String.valueOf(link));
    JsonNode p = ReadApiIT.problem(r, 404, link);
    assertThat(p.path("detail").asText()).contains("is no longer in MESH_OUTPUTS");
    assertThat(r.body()).doesNotContain("not for readers");
  }

  @Test
  void missingTasksAttemptsAndObjects_are404Problems() {
    Map<String, Object> gone = new LinkedHashMap<>(data.keep("api-running/deleted-later"));
    gone.put("name", "api-running/never-stored");
    String missing = recordOnRunning(gone);
    assertThat(missing).isNotNull();
    Map<String, Object> elsewhere = new LinkedHashMap<>(data.keep("api-running/elsewhere"));
    elsewhere.put("bucket", "OTHER_BUCKET");
    String outside = recordOnRunning(elsewhere);
    assertThat(outside).as("no link where the API cannot serve it").isNull();
    int n = http.json("/api/tasks/api-running").path("attempts").size();

    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/tasks/nope/attempts/1/output", "Task nope not found");
    cases.put("/api/tasks/api-done/attempts/3/output", "Task api-done has no attempt 3");
    cases.put("/api/tasks/api-done/attempts/1/output", "Attempt 1 of task api-done kept no output");
    cases.put(String.valueOf(missing), "is no longer in MESH_OUTPUTS");
    cases.put(
        "/api/tasks/api-running/attempts/" + n + "/output", "kept its output outside MESH_OUTPUTS");
    cases.forEach(
        (path, detail) -> {
          JsonNode p = ReadApiIT.problem(http.get(path), 404, path);
          assertThat(p.path("code").asText()).as(path).isEqualTo("NOT_FOUND");
          assertThat(p.path("detail").asText()).as(path).contains(detail);
        });
  }

  @Test
  void attemptsThatAreNoPlaceInTheHistory_are400Problems() {
    for (String attempt :
        List.of("0", "-1", "abc", "1.5", "01", "+1", "1e3", "9999999", "%201", "..", "%2E%2E")) {
      String path = "/api/tasks/api-done/attempts/" + attempt + "/output";
      JsonNode p = ReadApiIT.problem(http.get(path), 400, path);
      assertThat(p.path("code").asText()).as(path).isEqualTo("INVALID_REQUEST");
    }
    for (String path :
        List.of(
            "/api/tasks/api-done/attempts/..%2F1/output",
            "/api/tasks/api-done/attempts/%2E%2E%2F%2E%2E%2Fx/output",
            "/api/tasks/..%2Fapi-done/attempts/1/output")) {
      JsonNode p = ReadApiIT.problem(http.get(path), 400, path);
      assertThat(p.path("code").asText()).as(path).isEqualTo("INVALID_REQUEST");
      assertThat(p.path("detail").asText()).as(path).doesNotContain("transcript");
    }
    JsonNode p =
        ReadApiIT.problem(http.get("/api/tasks/api-done/attempts/2/output?x=1"), 400, "?x");
    assertThat(p.path("detail").asText()).contains("this route takes none");
  }

  /** Records an attempt of {@code api-running} (held by node-b) with this output: its link. */
  private static @Nullable String recordOnRunning(Map<String, Object> output) {
    JsonNode t = http.json("/api/tasks/api-running");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", "api-running");
    body.put("node_id", "node-b");
    body.put("claim_token", t.path("claim_token").asLong());
    body.put("approach", "transcript test");
    body.put("result", "kept " + output.get("name"));
    body.put("keep", false);
    body.put("output", output);
    data.client.task("attempt", body);
    data.mesh.awaitProjected();
    JsonNode attempts = http.json("/api/tasks/api-running").path("attempts");
    JsonNode link = attempts.get(attempts.size() - 1).path("links").path("output");
    return link.isNull() ? null : link.asText();
  }

  private static List<String> ids(String path) {
    List<String> out = new ArrayList<>();
    http.json(path).path("items").forEach(t -> out.add(t.path("task_id").asText()));
    return out;
  }

  /** Every task id of {@code path}, read {@code size} at a time by following next_cursor. */
  private static List<String> pages(String path, int size) {
    List<String> out = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          http.json(
              path + "&limit=" + size + (cursor == null ? "" : "&cursor=" + ReadApiIT.enc(cursor)));
      assertThat(page.path("items").size()).isLessThanOrEqualTo(size);
      page.path("items").forEach(t -> out.add(t.path("task_id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    return out;
  }
}
