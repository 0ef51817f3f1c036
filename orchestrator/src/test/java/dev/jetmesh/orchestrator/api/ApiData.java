package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.plan.PlanFixtures;
import dev.jetmesh.orchestrator.store.Transcripts;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An orchestrator with something to read, made through the wire as workers and clients would: two
 * joined nodes; {@code api-done} claimed by {@code node-a}, two attempts (one failed on its metric,
 * one kept, which kept {@link #TRANSCRIPT} in the transcript bucket) and completed; {@code
 * api-running} held by {@code node-b}; five queued tasks ({@code api-queued}, priority 5, and
 * {@code api-page-1..4}); a two-member collaboration session that converged in round 1 ({@code
 * api-collab}); and an executing plan of two waves under {@code api-parent}. One per test class.
 */
final class ApiData implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** The transcript attempt 2 of {@code api-done} kept (its {@code output}). */
  static final String TRANSCRIPT =
      "jetmesh attempt transcript\ntask: api-done\nattempt: 2/3\nnode: node-a\n\n"
          + "===== provider stdout =====\nhéllo, wörld ✓\n";

  final TestMesh mesh;
  final MeshClient client;
  final Http http;
  String sessionId;
  String planId;

  private ApiData(TestMesh mesh) {
    this.mesh = mesh;
    this.client = mesh.client();
    this.http = new Http(mesh.orchestrator().httpPort());
  }

  static ApiData start(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(Map.of("MESH_SWEEP_SECONDS", "0.2"));
    env.putAll(overrides);
    ApiData d = new ApiData(TestMesh.start(env));
    d.seed();
    return d;
  }

  private void seed() {
    for (String n : List.of("node-a", "node-b")) {
      client.ok(
          "mesh.nodes.join",
          Map.of("node_id", n, "providers", List.of("shell"), "host", Map.of("name", n)));
    }
    JsonNode done = submitAndClaim("api-done", "node-a", "tags", List.of("docs", "api"));
    client.task("start", fenced(done));
    attempt(done, 1, false, 0.4, 1200, 0.01, 10, 20);
    attempt(done, 2, true, 0.95, 800, 0.02, 30, 40, "output", keep("api-done/c1-2-node-a-attempt"));
    client.task("complete", with(fenced(done), "result", Map.of("success", true)));
    JsonNode running = submitAndClaim("api-running", "node-b", "tags", List.of("api"));
    client.task("start", fenced(running));
    submit("api-queued", "priority", 5, "tags", List.of("later"));
    for (int i = 1; i <= 4; i++) {
      // Each page task in a millisecond of its own, so that ?since= (millisecond timestamps) can
      // tell any two of them apart: two submits can land within one millisecond.
      Instant before = Instant.now();
      await().until(() -> Instant.now().toEpochMilli() > before.toEpochMilli());
      submit("api-page-" + i);
    }
    sessionId =
        submit("api-collab", "collaboration", Map.of("min_nodes", 2, "max_nodes", 2))
            .path("collab_session_id")
            .asText();
    client.awaitSession(sessionId, WAIT);
    for (String n : List.of("node-a", "node-b")) {
      client.ok("mesh.collab.join", Map.of("session_id", sessionId, "node_id", n));
    }
    await().atMost(WAIT).until(() -> "active".equals(session().path("status").asText()));
    for (String n : List.of("node-a", "node-b")) {
      Map<String, Object> r = new HashMap<>();
      r.put("session_id", sessionId);
      r.put("node_id", n);
      r.put("summary", "work of " + n);
      r.put("learnings", "learned by " + n);
      r.put("artifacts", List.of("src/" + n + ".txt"));
      r.put("confidence", 0.9);
      r.put("vote", "converged");
      client.ok("mesh.collab.reflect", r);
    }
    await()
        .atMost(WAIT)
        .until(() -> List.of("converged", "completed").contains(session().path("status").asText()));
    PlanFixtures.parent(client, "api-parent");
    planId =
        PlanFixtures.create(
                client,
                "api-parent",
                false,
                List.of(
                    PlanFixtures.solo("api-st-a", "Write it"),
                    PlanFixtures.solo("api-st-b", "Check it", "api-st-a")))
            .path("plan_id")
            .asText();
    await().atMost(WAIT).until(() -> "executing".equals(PlanFixtures.status(client, planId)));
    mesh.awaitProjected();
  }

  /**
   * Keeps {@link #TRANSCRIPT} in the transcript bucket as a worker does (the worker's {@code
   * ObjectStoreOutputs}: the bucket created on first use, file storage), under {@code name}: the
   * attempt's {@code output}.
   */
  Map<String, Object> keep(String name) {
    return keep(name, TRANSCRIPT.getBytes(StandardCharsets.UTF_8));
  }

  Map<String, Object> keep(String name, byte[] bytes) {
    try {
      ObjectStoreManagement osm = client.connection().objectStoreManagement();
      if (!osm.getBucketNames().contains(Transcripts.BUCKET)) {
        osm.create(
            ObjectStoreConfiguration.builder(Transcripts.BUCKET)
                .storageType(StorageType.File)
                .build());
      }
      client
          .connection()
          .objectStore(Transcripts.BUCKET)
          .put(
              ObjectMeta.builder(name).description("jetmesh run transcript").build(),
              new java.io.ByteArrayInputStream(bytes));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      return Map.of(
          "bucket", Transcripts.BUCKET, "name", name, "size", bytes.length, "sha256", sha);
    } catch (Exception e) {
      throw new IllegalStateException("cannot keep " + name, e);
    }
  }

  /** An attempt of {@code node-a} with the shell provider: kept when its metric passed. */
  private void attempt(
      JsonNode claimed,
      int n,
      boolean passed,
      double score,
      int ms,
      double cost,
      int in,
      int out,
      Object... more) {
    client.task(
        "attempt",
        with(
            with(fenced(claimed), more),
            "approach",
            "Attempt " + n + ": shell",
            "result",
            passed ? "tests green" : "tests red",
            "keep",
            passed,
            "attempt",
            n,
            "node_id",
            "node-a",
            "provider",
            "shell",
            "model",
            "sh",
            "exit_code",
            passed ? 0 : 1,
            "metric_passed",
            passed,
            "metric_score",
            score,
            "duration_ms",
            ms,
            "cost_usd",
            cost,
            "tokens",
            Map.of("input", in, "output", out)));
  }

  JsonNode session() {
    return client.ok("mesh.collab.status", Map.of("session_id", sessionId));
  }

  JsonNode submit(String id, Object... kv) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", id);
    body.put("title", "Task " + id);
    return client.task("submit", with(body, kv));
  }

  private JsonNode submitAndClaim(String id, String node, Object... kv) {
    Object[] fields = java.util.Arrays.copyOf(kv, kv.length + 2);
    fields[kv.length] = "priority";
    fields[kv.length + 1] = 9;
    submit(id, fields);
    mesh.awaitProjected();
    JsonNode c = client.task("claim", Map.of("node_id", node));
    assertThat(c.path("task_id").asText()).isEqualTo(id);
    return c;
  }

  private static Map<String, Object> fenced(JsonNode claimed) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", claimed.path("task_id").asText());
    body.put("node_id", claimed.path("owner").asText());
    body.put("claim_token", claimed.path("claim_token").asLong());
    return body;
  }

  private static Map<String, Object> with(Map<String, Object> body, Object... kv) {
    for (int i = 0; i < kv.length; i += 2) {
      body.put((String) kv[i], kv[i + 1]);
    }
    return body;
  }

  @Override
  public void close() {
    client.close();
    mesh.close();
  }
}
