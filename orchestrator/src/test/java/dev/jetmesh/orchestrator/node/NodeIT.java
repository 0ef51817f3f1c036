package dev.jetmesh.orchestrator.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.cli.Main;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nodes end to end against a real nats-server, Postgres and an in-process orchestrator with a join
 * secret: joins with valid, forged and expired tokens; health beats that update the read model and
 * append nothing; a silent node that goes stale once and comes back; a removal that requeues the
 * held task, gives up collab seats and refuses the node from then on.
 */
class NodeIT {
  static final String SECRET = "nodeit-secret-0123456789abcdef-0123456789";
  static final Duration STALE_AFTER = Duration.ofSeconds(3);
  static final Duration WAIT = Duration.ofSeconds(20);
  static TestMesh mesh;
  static MeshClient client;

  /** Nodes a test joined; removed after it, so they cannot go stale during the next one. */
  static final Set<String> joined = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void up() {
    mesh =
        TestMesh.start(
            Map.of(
                "MESH_JOIN_SECRET",
                SECRET,
                "MESH_NODE_STALE_SECONDS",
                String.valueOf(STALE_AFTER.toSeconds()),
                "MESH_SWEEP_SECONDS",
                "0.2"));
    client = mesh.client();
  }

  @AfterAll
  static void down() {
    client.close();
    mesh.close();
  }

  @AfterEach
  void removeJoined() {
    for (String n : joined) {
      client.request("mesh.nodes.remove", Map.of("node_id", n, "removed_by", "nodeit"));
    }
    joined.clear();
  }

  // ---- helpers -------------------------------------------------------------------------------

  static String token(String secret, Instant expires) {
    Instant issued = expires.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    return JoinToken.sign(
        new JoinToken.Payload(
            JoinToken.VERSION,
            mesh.nats().url(),
            "worker",
            "shell",
            null,
            null,
            issued,
            expires,
            "tok-" + expires.toEpochMilli()),
        JoinToken.key(secret));
  }

  static String validToken() {
    return token(SECRET, Instant.now().plus(Duration.ofHours(1)));
  }

  static Map<String, Object> join(String node, String token) {
    Map<String, Object> b = new HashMap<>();
    b.put("node_id", node);
    if (token != null) {
      b.put("token", token);
    }
    b.put("providers", List.of("shell", "claude"));
    b.put("capabilities", List.of("docker"));
    b.put("host", Map.of("hostname", "box-" + node, "cpus", 8));
    return b;
  }

  static JsonNode joinOk(String node) {
    JsonNode n = client.ok("mesh.nodes.join", join(node, validToken()));
    joined.add(node);
    return n;
  }

  static List<StoredEvent> events(String node) {
    return store().read(Subjects.nodeEvents(node));
  }

  static List<String> types(List<StoredEvent> events) {
    return events.stream().map(e -> e.envelope().type()).toList();
  }

  static EventStore store() {
    return mesh.orchestrator().store();
  }

  static JsonNode get(String node) {
    return client.ok("mesh.nodes.get", Map.of("node_id", node));
  }

  static void beat(String node, Map<String, Object> health) {
    try {
      client.connection().publish(Subjects.health(node), Json.mapper().writeValueAsBytes(health));
      client.connection().flush(Duration.ofSeconds(5));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> health(int n, String currentTask) {
    Map<String, Object> h = new HashMap<>();
    h.put("beat", n);
    h.put("cpu", Map.of("load1", 0.5 + n, "cores", 8));
    h.put("mem", Map.of("total_bytes", 16_000_000_000L, "free_bytes", 4_000_000_000L));
    h.put("disk_percent", 41);
    h.put("providers", List.of("shell"));
    h.put("current_task", currentTask);
    return h;
  }

  static void assertRefused(Map<String, Object> body, String code, String message) {
    JsonNode r = client.request("mesh.nodes.join", body);
    assertThat(r.path("ok").asBoolean()).as("%s", r).isFalse();
    assertThat(r.path("code").asText()).isEqualTo(code);
    assertThat(r.path("error").asText()).contains(message);
  }

  record Run(int exit, String stdout) {}

  /** Runs the {@code jetmesh} CLI in its own JVM, with {@code env} added to the environment. */
  static Run cli(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    return new Run(p.exitValue(), out);
  }

  // ---- join ----------------------------------------------------------------------------------

  @Test
  void join_withAValidToken_isRecorded_andForgedExpiredOrMissingTokensAreUnauthorized() {
    JsonNode n = joinOk("nj-valid");
    assertThat(n.path("status").asText()).isEqualTo("joined");
    assertThat(n.path("providers").toString()).isEqualTo("[\"shell\",\"claude\"]");
    assertThat(n.path("host").path("hostname").asText()).isEqualTo("box-nj-valid");
    assertThat(n.path("token_id").asText()).startsWith("tok-");
    assertThat(types(events("nj-valid"))).containsExactly("node.joined");

    String forged =
        token("an-attacker-who-guessed-wrong-0123456789", Instant.now().plusSeconds(60));
    assertRefused(join("nj-forged", forged), "UNAUTHORIZED", "signature is not valid");
    assertRefused(
        join("nj-expired", token(SECRET, Instant.now().minusSeconds(1))),
        "UNAUTHORIZED",
        "expired at");
    assertRefused(join("nj-none", null), "UNAUTHORIZED", "A join token is required");
    for (String refused : List.of("nj-forged", "nj-expired", "nj-none")) {
      assertThat(events(refused)).as(refused).isEmpty();
      // Skipping the join does not help: where joins need a token, only joined nodes claim.
      JsonNode claim = client.request("mesh.tasks.claim", Map.of("node_id", refused));
      assertThat(claim.path("code").asText()).isEqualTo("UNAUTHORIZED");
      assertThat(claim.path("error").asText())
          .isEqualTo(
              "Node "
                  + refused
                  + " has not joined the mesh: join with a token first (mesh.nodes.join)");
    }
    assertThat(
            client
                .request("mesh.tasks.claim", Map.of("node_id", "nj-valid"))
                .path("ok")
                .asBoolean())
        .isTrue();

    // A repeated join with the same facts (a retry after a lost reply) appends nothing.
    String again = validToken();
    client.ok("mesh.nodes.join", join("nj-same", again));
    client.ok("mesh.nodes.join", join("nj-same", again));
    joined.add("nj-same");
    assertThat(types(events("nj-same"))).containsExactly("node.joined");
  }

  @Test
  void join_refusesBadInput() {
    Map<String, Object> body = join("nj-bad", validToken());
    body.put("host", "a string");
    assertRefused(body, "INVALID_REQUEST", "Field 'host' must be an object");
    body = join("nj-bad", validToken());
    body.put("colour", "blue");
    assertRefused(body, "INVALID_REQUEST", "Unknown field 'colour'");
    assertRefused(join("nj.bad", validToken()), "INVALID_REQUEST", "Invalid node_id");
  }

  @Test
  void joinToken_fromTheCli_letsAWorkerJoin_andIsRefusedWithoutASecret() throws Exception {
    Run r =
        cli(
            Map.of("MESH_JOIN_SECRET", SECRET, "MESH_NATS_URL", mesh.nats().url()),
            "join-token",
            "--expires",
            "2h");
    assertThat(r.exit()).isZero();
    String token = r.stdout().strip();
    JoinToken.Payload p = JoinToken.read(token);
    assertThat(p.nats()).isEqualTo(mesh.nats().url());
    assertThat(Duration.between(p.issued(), p.expires())).isEqualTo(Duration.ofHours(2));

    JsonNode n = client.ok("mesh.nodes.join", join("nj-cli", token));
    joined.add("nj-cli");
    assertThat(n.path("token_id").asText()).isEqualTo(p.id());

    Run open = cli(Map.of("MESH_JOIN_SECRET", ""), "join-token");
    assertThat(open.exit()).isEqualTo(2);
    assertThat(open.stdout()).isEmpty();
  }

  // ---- health --------------------------------------------------------------------------------

  @Test
  void health_updatesTheReadModelInPlace_andAppendsNothing() throws Exception {
    String node = "nh-beats";
    joinOk(node);
    mesh.awaitProjected();
    long streamBefore = store().lastSequence();
    Instant joinedAt = Instant.parse(get(node).path("last_seen").asText());

    for (int i = 1; i <= 5; i++) {
      beat(node, health(i, i < 5 ? null : "task-42"));
    }
    await().atMost(WAIT).until(() -> get(node).path("health").path("beat").asInt() == 5);

    JsonNode n = get(node);
    assertThat(n.path("status").asText()).isEqualTo("joined");
    assertThat(n.path("current_task").asText()).isEqualTo("task-42");
    assertThat(n.path("health").path("disk_percent").asInt()).isEqualTo(41);
    assertThat(Instant.parse(n.path("last_seen").asText())).isAfterOrEqualTo(joinedAt);
    // Five beats, not one event: neither the node's subject nor the stream moved.
    assertThat(types(events(node))).containsExactly("node.joined");
    assertThat(store().lastSequence()).isEqualTo(streamBefore);

    // The list and the HTTP API read the same row.
    JsonNode list = client.ok("mesh.nodes.list", Map.of("status", "joined"));
    assertThat(list.findValuesAsText("node_id")).contains(node);
    HttpResponse<String> http = http("/api/nodes/" + node);
    assertThat(http.statusCode()).isEqualTo(200);
    assertThat(Json.mapper().readTree(http.body()).path("current_task").asText())
        .isEqualTo("task-42");
    HttpResponse<String> missing = http("/api/nodes/nobody-here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
  }

  @Test
  void beatsOfAnUnknownNode_orGarbage_areIgnored() throws Exception {
    String node = "nh-garbage";
    joinOk(node);
    mesh.awaitProjected(); // beats count from the node's row on: the join must be projected
    beat("nh-never-joined", health(1, null));
    client.connection().publish(Subjects.health(node), "not json".getBytes(UTF_8));
    client.connection().publish(Subjects.health(node), "[1,2]".getBytes(UTF_8));
    beat(node, health(7, null)); // the beat after the garbage still counts
    await().atMost(WAIT).until(() -> get(node).path("health").path("beat").asInt() == 7);
    assertThat(events("nh-never-joined")).isEmpty();
    JsonNode r = client.request("mesh.nodes.get", Map.of("node_id", "nh-never-joined"));
    assertThat(r.path("code").asText()).isEqualTo("NOT_FOUND");
  }

  // ---- liveness ------------------------------------------------------------------------------

  @Test
  void aSilentNode_goesStaleOnce_afterTheThreshold_andComesBack_onItsNextBeat() throws Exception {
    String node = "ns-silent";
    Instant joinedAt = Instant.now();
    joinOk(node);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(node).path("status").asText().equals("stale"));
    assertThat(Duration.between(joinedAt, Instant.now())).isGreaterThanOrEqualTo(STALE_AFTER);
    Thread.sleep(1000); // five more sweeps: still one stale event
    List<StoredEvent> history = events(node);
    assertThat(types(history)).containsExactly("node.joined", "node.went_stale");
    JsonNode stale = Json.mapper().valueToTree(history.get(1).envelope().payload());
    assertThat(stale.path("threshold_seconds").asLong()).isEqualTo(STALE_AFTER.toSeconds());
    assertThat(stale.path("silent_seconds").asLong())
        .isGreaterThanOrEqualTo(STALE_AFTER.toSeconds());
    mesh.awaitProjected();
    assertThat(client.ok("mesh.nodes.list", Map.of("status", "stale")).findValuesAsText("node_id"))
        .contains(node);

    beat(node, health(1, null));
    await().atMost(WAIT).until(() -> get(node).path("status").asText().equals("joined"));
    beat(node, health(2, null));
    beat(node, health(3, null));
    await().atMost(WAIT).until(() -> get(node).path("health").path("beat").asInt() == 3);
    assertThat(types(events(node)))
        .containsExactly("node.joined", "node.went_stale", "node.came_back");
  }

  // ---- removal -------------------------------------------------------------------------------

  @Test
  void remove_requeuesTheHeldTask_andRefusesLaterJoinsClaimsAndBeats() throws Exception {
    String node = "nr-doomed";
    joinOk(node);
    // First in claim order, whatever else the other tests left queued.
    client.task(
        "submit", Map.of("task_id", "nr-task", "title", "Held by a doomed node", "priority", 10));
    mesh.awaitProjected();
    JsonNode claimed = client.task("claim", Map.of("node_id", node));
    assertThat(claimed.path("task_id").asText()).isEqualTo("nr-task");
    client.task(
        "start",
        Map.of(
            "task_id",
            "nr-task",
            "node_id",
            node,
            "claim_token",
            claimed.path("claim_token").asLong()));
    mesh.awaitProjected();
    beat(node, health(1, "nr-task"));
    await().atMost(WAIT).until(() -> "nr-task".equals(get(node).path("current_task").asText()));

    Run r =
        cli(
            Map.of("MESH_NATS_URL", mesh.nats().url()),
            "node",
            "remove",
            node,
            "--by",
            "alice",
            "--reason",
            "disk failing",
            "--json");
    assertThat(r.exit()).as(r.stdout()).isZero();
    JsonNode removed = Json.mapper().readTree(r.stdout());
    joined.remove(node);
    assertThat(removed.path("node").path("status").asText()).isEqualTo("removed");
    assertThat(removed.path("node").path("removed_by").asText()).isEqualTo("alice");
    assertThat(removed.path("requeued_tasks").toString()).isEqualTo("[\"nr-task\"]");

    // The task is back in the queue, with its history: who held it, who removed the node.
    JsonNode task = client.task("get", Map.of("task_id", "nr-task"));
    assertThat(task.path("status").asText()).isEqualTo("queued");
    assertThat(task.path("owner").isNull()).isTrue();
    List<StoredEvent> taskEvents = store().read(Subjects.taskEvents("nr-task"));
    StoredEvent requeued = taskEvents.get(taskEvents.size() - 1);
    assertThat(requeued.envelope().type()).isEqualTo("task.requeued");
    assertThat(Json.mapper().valueToTree(requeued.envelope().payload()).toString())
        .isEqualTo("{\"node_id\":\"nr-doomed\",\"by\":\"alice\",\"reason\":\"disk failing\"}");

    // The removed node: its fenced commands, claims, joins and beats are refused.
    assertThat(
            client.taskError(
                "complete",
                Map.of(
                    "task_id",
                    "nr-task",
                    "node_id",
                    node,
                    "claim_token",
                    claimed.path("claim_token").asLong())))
        .contains("queued");
    JsonNode claim = client.request("mesh.tasks.claim", Map.of("node_id", node));
    assertThat(claim.path("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(claim.path("error").asText()).isEqualTo("Node nr-doomed was removed from the mesh");
    assertRefused(join(node, validToken()), "UNAUTHORIZED", "was removed from the mesh");
    joinOk("nr-witness");
    mesh.awaitProjected();
    String seenBefore = get(node).path("last_seen").asText();
    beat(node, health(2, null));
    // Beats are handled one at a time in arrival order: once the witness's later beat shows, the
    // removed node's was handled too (and ignored).
    beat("nr-witness", health(9, null));
    await().atMost(WAIT).until(() -> get("nr-witness").path("health").path("beat").asInt() == 9);
    assertThat(get(node).path("last_seen").asText()).isEqualTo(seenBefore);
    // Nothing after the removal. (On a busy machine the node may go stale before it is removed:
    // it beats no more and STALE_AFTER is short.)
    assertThat(types(events(node)))
        .startsWith("node.joined")
        .endsWith("node.removed")
        .containsOnlyOnce("node.removed")
        .isSubsetOf("node.joined", "node.went_stale", "node.removed");

    // Anyone else may claim the task now.
    joinOk("nr-heir");
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .task("claim", Map.of("node_id", "nr-heir"))
                    .path("task_id")
                    .asText()
                    .equals("nr-task"));
    JsonNode removeAgain = client.request("mesh.nodes.remove", Map.of("node_id", node));
    assertThat(removeAgain.path("code").asText()).isEqualTo("CONFLICT");
  }

  @Test
  void remove_ofAnUnknownNode_isNotFound_andBlocksNoName_unlessForced() throws Exception {
    // given a node id that never joined, held a task or sat in a session
    Map<String, String> env = Map.of("MESH_NATS_URL", mesh.nats().url());

    // when it is removed without --force (a typo)
    Run typo = cli(env, "node", "remove", "nr-nope", "--reason", "typo");
    JsonNode refused = client.request("mesh.nodes.remove", Map.of("node_id", "nr-nope"));

    // then the CLI fails, the wire says NOT_FOUND, nothing is appended and the name stays free
    assertThat(typo.exit()).as(typo.stdout()).isNotZero();
    assertThat(typo.stdout()).doesNotContain("removed");
    assertThat(refused.path("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(refused.path("error").asText())
        .isEqualTo(
            "Node nr-nope not found: no node of that id joined or worked here (to remove the"
                + " name anyway: force true, or the CLI's --force)");
    assertThat(events("nr-nope")).isEmpty();
    assertThat(joinOk("nr-nope").path("status").asText()).isEqualTo("joined");

    // when a name nothing knows is removed with --force, it is removed and refused from then on
    Run forced = cli(env, "node", "remove", "nr-reserved", "--force", "--json");
    assertThat(forced.exit()).as(forced.stdout()).isZero();
    assertThat(Json.mapper().readTree(forced.stdout()).path("node").path("status").asText())
        .isEqualTo("removed");
    assertThat(types(events("nr-reserved"))).containsExactly("node.removed");
    assertRefused(join("nr-reserved", validToken()), "UNAUTHORIZED", "was removed from the mesh");
  }

  @Test
  void remove_givesUpTheNodesCollabSeats() {
    Map<String, Object> collaboration =
        Map.of("mode", "parallel", "min_nodes", 2, "max_nodes", 3, "join_window_s", 600);
    JsonNode task =
        client.task(
            "submit",
            Map.of("task_id", "nc-collab", "title", "Seats", "collaboration", collaboration));
    String sid = task.path("collab_session_id").asText();
    client.awaitSession(sid, WAIT);
    client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", "nc-stays"));
    client.ok("mesh.collab.join", Map.of("session_id", sid, "node_id", "nc-goes"));

    client.ok("mesh.nodes.remove", Map.of("node_id", "nc-goes", "reason", "retired"));

    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .ok("mesh.collab.status", Map.of("session_id", sid))
                    .path("nodes")
                    .findValuesAsText("node_id")
                    .equals(List.of("nc-stays")));
    List<StoredEvent> session = store().read(Subjects.collabEvents(sid));
    ObjectNode left =
        Json.mapper().valueToTree(session.get(session.size() - 1).envelope().payload());
    assertThat(session.get(session.size() - 1).envelope().type()).isEqualTo("collab.node_left");
    assertThat(left.path("node_id").asText()).isEqualTo("nc-goes");
    assertThat(left.path("reason").asText()).isEqualTo("node removed");
  }

  static HttpResponse<String> http(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + mesh.orchestrator().httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
