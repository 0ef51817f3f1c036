package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes joining a real orchestrator that has a join secret: a worker given only a token
 * (no {@code MESH_NATS_URL}) connects to the token's NATS URL, joins with the providers it can run,
 * and beats its current task; removing the node requeues its task and stops the worker with exit 2
 * and one line. Forged and missing tokens are refused with the orchestrator's message, exit 2.
 */
class NodeJoinIT {
  private static final String SECRET = "node-join-it-secret-0123456789abcdef";
  private static E2eMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void startMesh() {
    mesh = E2eMesh.start(Map.of("MESH_JOIN_SECRET", SECRET));
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @AfterEach
  void cleanUp() {
    mesh.cancelUnfinished();
  }

  /** What {@code jetmesh join-token} prints, signed with {@code secret}. */
  private static String token(String secret) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return JoinToken.sign(
        new JoinToken.Payload(
            JoinToken.VERSION,
            mesh.natsUrl(),
            "worker",
            "claude",
            null,
            null,
            now,
            now.plus(Duration.ofHours(1)),
            "it-token-1"),
        JoinToken.key(secret));
  }

  /** A worker's environment with the token as its only way to the mesh. */
  private static Map<String, String> env(String node, Sandbox box, String token) {
    Map<String, String> env = mesh.workerEnv(node, box, 3);
    env.remove("MESH_NATS_URL");
    if (token != null) {
      env.put("MESH_JOIN_TOKEN", token);
    }
    env.put("MESH_HEALTH_INTERVAL", "200");
    env.put("MESH_CAPABILITIES", "docker,gpu");
    return env;
  }

  private static JsonNode node(String id) {
    return mesh.client().ok("mesh.nodes.get", Map.of("node_id", id));
  }

  @Test
  void tokenOnlyWorker_joins_beatsItsTask_andStopsWithExit2_whenRemoved_withItsTaskRequeued() {
    String node = "node-joiner";
    Sandbox box = E2eMesh.sandbox(tmp);
    mesh.submit("join-held", Map.of("title", "Held when removed"));
    Map<String, String> env = env(node, box, token(SECRET));
    env.put("FAKE_LLM_SLEEP", "60");
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  mesh.client()
                      .request("mesh.nodes.get", Map.of("node_id", node))
                      .path("ok")
                      .asBoolean());
      JsonNode joined = node(node);
      assertThat(joined.path("status").asText()).isEqualTo("joined");
      assertThat(joined.path("token_id").asText()).isEqualTo("it-token-1");
      // claude is the fake LLM (CLAUDE_PATH); shell is /bin/bash; nothing else is installed.
      assertThat(joined.path("providers")).extracting(JsonNode::asText).startsWith("claude");
      assertThat(joined.path("providers")).extracting(JsonNode::asText).contains("shell");
      assertThat(joined.path("capabilities"))
          .extracting(JsonNode::asText)
          .containsExactly("docker", "gpu");
      assertThat(joined.path("host").path("cores").asInt()).isPositive();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "join-held".equals(node(node).path("current_task").asText()));
      JsonNode health = node(node).path("health");
      assertThat(health.path("current_task").asText()).isEqualTo("join-held");
      assertThat(health.path("agent").path("status").asText()).isEqualTo("busy");
      assertThat(health.path("cpu").path("cores").asInt()).isPositive();
      assertThat(health.path("mem").path("total_bytes").asLong()).isPositive();
      assertThat(health.path("disk_percent").isInt()).isTrue();
      assertThat(health.path("providers").get(0).asText()).isEqualTo("claude");

      mesh.awaitStatus("join-held", "running", Duration.ofSeconds(30));
      JsonNode removed =
          mesh.client()
              .ok(
                  "mesh.nodes.remove",
                  Map.of("node_id", node, "removed_by", "NodeJoinIT", "reason", "decommissioned"));
      assertThat(removed.path("requeued_tasks"))
          .extracting(JsonNode::asText)
          .containsExactly("join-held");

      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isEqualTo(2);
      assertThat(w.log())
          .contains(
              "jetmesh-worker: the mesh refused node node-joiner: Node node-joiner was removed"
                  + " from the mesh: it cannot join again");
      // It asked once more, was refused, and stopped: no claim loop spinning on the refusal.
      assertThat(w.log().split("claim refused", -1)).hasSizeLessThanOrEqualTo(2);
    }
    JsonNode task = mesh.get("join-held");
    assertThat(task.path("status").asText()).isEqualTo("queued");
    assertThat(task.path("owner").isMissingNode() || task.path("owner").isNull()).isTrue();
  }

  @Test
  void forgedToken_isRefused_withTheOrchestratorsMessage_andExit2() {
    String node = "node-forger";
    Sandbox box = E2eMesh.sandbox(tmp);
    Map<String, String> env = env(node, box, token("another-secret-0123456789abcdef-xyz"));
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"))) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isEqualTo(2);
      assertThat(w.log())
          .contains(
              "jetmesh-worker: the mesh refused node node-forger: Join token signature is not"
                  + " valid: forged or altered");
    }
    assertThat(mesh.client().error("mesh.nodes.get", Map.of("node_id", node)))
        .isEqualTo("Node node-forger not found");
  }

  @Test
  void workerWithoutAToken_isRefused_whenTheMeshHasASecret() {
    String node = "node-tokenless";
    Sandbox box = E2eMesh.sandbox(tmp);
    Map<String, String> env = env(node, box, null);
    env.put("MESH_NATS_URL", mesh.natsUrl());
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"))) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isEqualTo(2);
      assertThat(w.log())
          .contains(
              "jetmesh-worker: the mesh refused node node-tokenless: A join token is required:"
                  + " ask the operator for one (jetmesh join-token)");
    }
  }
}
