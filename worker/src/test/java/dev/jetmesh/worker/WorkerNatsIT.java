package dev.jetmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.AliveCheck;
import dev.jetmesh.worker.testing.FakeLlm;
import dev.jetmesh.worker.testing.FakeOrchestrator;
import dev.jetmesh.worker.testing.GitRepos;
import dev.jetmesh.worker.testing.Tasks;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker over a real nats-server, against a stand-in that speaks the orchestrator's wire
 * contract: request shapes, fencing fields, the object store, the alive check, notices, SIGTERM.
 */
class WorkerNatsIT {
  private static final String NODE = "it-node";

  @TempDir Path tmp;
  private TestNats nats;
  private Connection nc;
  private FakeOrchestrator orch;
  private Path ws;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    nats = TestNats.start();
    nc = Nats.connect(nats.url());
    orch = new FakeOrchestrator(nc);
    ws = GitRepos.init(tmp.resolve("ws"));
    Path fake = FakeLlm.install(Files.createDirectories(tmp.resolve("bin")));
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", tmp.toString());
    env.put("CLAUDE_PATH", fake.toString());
    env.put("MESH_NATS_URL", nats.url());
    env.put("MESH_NODE_ID", NODE);
    env.put("MESH_WORKSPACE", ws.toString());
    env.put("MESH_WORKTREE_BASE", tmp.resolve("trees").toString());
    env.put("MESH_POLL_INTERVAL", "200");
    env.put("MESH_HEARTBEAT_INTERVAL", "200");
    env.put("MESH_RETRY_BACKOFF_MS", "10");
    env.put("MESH_METRIC_RETRY_MS", "10");
    env.put("MESH_HEALTH_INTERVAL", "200");
  }

  @AfterEach
  void tearDown() throws Exception {
    orch.close();
    nc.close();
    nats.close();
  }

  private Task task(String id, String metric) {
    return Tasks.claimed(id, "Title " + id, "do it", metric, "claude", 30, NODE);
  }

  @Test
  void once_runsATask_keepsTranscripts_andFencesEveryCommand() throws Exception {
    env.put("FAKE_LLM_WRITE", "result.txt");
    orch.toClaim.add(task("IT-1", "grep -q attempt-2 result.txt"));
    WorkerConfig config = WorkerConfig.load(new WorkerConfig.Flags(true, false, null, null), env);

    try (Worker w = Worker.start(config)) {
      assertThat(w.awaitTermination(Duration.ofSeconds(60))).isTrue();
      assertThat(w.exitCode()).isZero();
    }

    assertThat(requests().subList(0, 2)).containsExactly("nodes.join", "claim");
    JsonNode join = orch.bodies("nodes.join").get(0);
    assertThat(join.get("node_id").asText()).isEqualTo(NODE);
    assertThat(join.get("token").isNull()).isTrue();
    assertThat(join.get("providers").get(0).asText()).isEqualTo("claude");
    assertThat(join.get("capabilities")).isEmpty();
    assertThat(join.get("host").get("cores").asInt()).isPositive();
    assertThat(orch.bodies("claim").get(0).toString()).isEqualTo("{\"node_id\":\"it-node\"}");
    for (String op : List.of("start", "attempt", "complete")) {
      for (JsonNode b : orch.bodies(op)) {
        assertThat(b.get("task_id").asText()).isEqualTo("IT-1");
        assertThat(b.get("node_id").asText()).isEqualTo(NODE);
        assertThat(b.get("claim_token").asLong()).isEqualTo(42L);
      }
    }
    List<JsonNode> attempts = orch.bodies("attempt");
    assertThat(attempts).hasSize(2);
    ObjectStore os = nc.objectStore("MESH_OUTPUTS");
    for (JsonNode a : attempts) {
      JsonNode out = a.get("output");
      assertThat(out.get("bucket").asText()).isEqualTo("MESH_OUTPUTS");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      os.get(out.get("name").asText(), bytes);
      assertThat(bytes.size()).isEqualTo(out.get("size").asInt());
      assertThat(
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())))
          .isEqualTo(out.get("sha256").asText());
    }
    JsonNode result = orch.bodies("complete").get(0).get("result");
    assertThat(result.get("merged").asBoolean()).isTrue();
    assertThat(ws.resolve("result.txt")).hasContent("attempt-2");
  }

  @Test
  void aliveCheck_isTruthful_andAStallNoticeStopsTheRun() throws Exception {
    env.put("FAKE_LLM_SLEEP", "60");
    orch.toClaim.add(task("IT-stall", null));
    WorkerConfig config = WorkerConfig.load(WorkerConfig.Flags.NONE, env);
    try (Worker w = Worker.start(config)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !orch.bodies("heartbeat").isEmpty());
      assertThat(alive("IT-stall")).isEqualTo(new AliveCheck.Answer(true, "IT-stall"));
      assertThat(alive("")).isEqualTo(new AliveCheck.Answer(true, "IT-stall"));
      assertThat(alive("OTHER")).isEqualTo(new AliveCheck.Answer(false, "IT-stall"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  orch.bodies("health").stream()
                      .anyMatch(b -> b.path("current_task").asText().equals("IT-stall")));

      nc.publish(
          "mesh.agent." + NODE + ".stall",
          "{\"task_id\":\"IT-stall\",\"silent_minutes\":6,\"threshold_minutes\":5}"
              .getBytes(StandardCharsets.UTF_8));

      await().atMost(Duration.ofSeconds(10)).until(() -> w.currentTaskId().isEmpty());
      assertThat(alive("IT-stall")).isEqualTo(new AliveCheck.Answer(false, null));
      assertThat(orch.bodies("attempt")).isEmpty();
      assertThat(orch.bodies("release")).isEmpty();
      assertThat(orch.bodies("complete")).isEmpty();
    }
  }

  @Test
  void sigterm_releasesTheCurrentTask() throws Exception {
    env.put("FAKE_LLM_SLEEP", "60");
    orch.toClaim.add(task("IT-term", null));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.jetmesh.worker.WorkerMain");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("worker.log").toFile());
    Process worker = pb.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !orch.bodies("heartbeat").isEmpty());
      worker.destroy(); // SIGTERM
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<JsonNode> releases = orch.bodies("release");
      assertThat(releases).hasSize(1);
      assertThat(releases.get(0).get("reason").asText()).isEqualTo("worker shutting down");
      assertThat(releases.get(0).get("claim_token").asLong()).isEqualTo(42L);
    } finally {
      worker.destroyForcibly();
    }
  }

  @Test
  void dryRun_printsThePrompt_andClaimsNothing() throws Exception {
    orch.toClaim.add(task("IT-dry", null));
    // The stand-in answers list with null data; the real orchestrator returns the queued tasks.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {"--dry-run"},
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("no queued task");
    assertThat(orch.bodies("claim")).isEmpty();
    assertThat(orch.bodies("list").get(0).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void claimRefusedAsUnauthorised_rightAfterTheJoin_stopsWithExit2_withoutSpinning()
      throws Exception {
    orch.refuseNext(
        "claim", ErrorCode.UNAUTHORIZED, "Node it-node has not joined the mesh: join first");
    WorkerConfig config = WorkerConfig.load(WorkerConfig.Flags.NONE, env);
    try (Worker w = Worker.start(config)) {
      assertThat(w.awaitTermination(Duration.ofSeconds(20))).isTrue();
      assertThat(w.exitCode()).isEqualTo(2);
      assertThat(w.refusal())
          .contains("node it-node may not claim: Node it-node has not joined the mesh: join first");
    }
    assertThat(requests()).containsExactly("nodes.join", "claim");
  }

  @Test
  void claimRefusedAsUnauthorised_later_joinsAgain_andStopsWhenTheJoinIsRefused() throws Exception {
    WorkerConfig config = WorkerConfig.load(WorkerConfig.Flags.NONE, env);
    try (Worker w = Worker.start(config)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> orch.bodies("claim").size() >= 2);
      // The join's refusal first: only a refused claim makes the worker join again.
      orch.refuseNext(
          "nodes.join",
          ErrorCode.UNAUTHORIZED,
          "Node it-node was removed from the mesh: it cannot join again");
      orch.refuseNext("claim", ErrorCode.UNAUTHORIZED, "Node it-node was removed from the mesh");
      assertThat(w.awaitTermination(Duration.ofSeconds(20))).isTrue();
      assertThat(w.exitCode()).isEqualTo(2);
      assertThat(w.refusal())
          .contains(
              "the mesh refused node it-node: Node it-node was removed from the mesh: it cannot"
                  + " join again");
    }
    List<String> ops = requests();
    assertThat(ops.subList(ops.size() - 2, ops.size())).containsExactly("claim", "nodes.join");
    assertThat(orch.bodies("nodes.join")).hasSize(2);
  }

  @Test
  void joinWithoutAnswer_isAskedAgain_andNothingIsClaimedBeforeItIsAnswered() throws Exception {
    orch.close(); // nobody answers mesh.nodes.join (nor anything else) for now
    WorkerConfig config = WorkerConfig.load(WorkerConfig.Flags.NONE, env);
    try (Worker w = Worker.start(config)) {
      Thread.sleep(700);
      orch = new FakeOrchestrator(nc);
      orch.toClaim.add(task("IT-late", null));
      await().atMost(Duration.ofSeconds(10)).until(() -> !orch.bodies("complete").isEmpty());
      assertThat(requests().get(0)).isEqualTo("nodes.join");
    }
  }

  /** What the worker asked, in order, without the health beats (which run on their own clock). */
  private List<String> requests() {
    return orch.ops().stream().filter(o -> !o.equals("health")).toList();
  }

  private AliveCheck.Answer alive(String taskId) throws Exception {
    Message m =
        nc.request(
            "mesh.agent." + NODE + ".alive",
            ("{\"task_id\":\"" + taskId + "\"}").getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(5));
    return Json.mapper().readValue(m.getData(), AliveCheck.Answer.class);
  }
}
