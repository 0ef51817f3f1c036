package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.FreePorts;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI as a process against a real orchestrator: {@code watch} ending with the task, across an
 * orchestrator restart (the stream breaks and is resumed), and the exit codes of the wire commands.
 */
class CliIT {
  static TestMesh mesh;
  static MeshClient client;
  static int port;

  @BeforeAll
  static void start() throws IOException {
    port = FreePorts.next();
    // A fixed port: the restarted orchestrator must answer where the watch reconnects.
    mesh = TestMesh.start(Map.of("MESH_HTTP_PORT", String.valueOf(port)));
    client = mesh.client();
  }

  @AfterAll
  static void stop() {
    client.close();
    mesh.close();
  }

  record Run(int exit, String out) {}

  static Process launch(Path log, Map<String, String> extra, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(mesh.env());
    pb.environment().remove("MESH_HTTP_PORT");
    pb.environment().put("MESH_API_URL", "http://127.0.0.1:" + port);
    pb.environment().putAll(extra);
    return pb.start();
  }

  static Run run(Map<String, String> extra, String... args) throws Exception {
    Path log = Files.createTempFile("jetmesh-cli-", ".txt");
    Process p = launch(log, extra, args);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("jetmesh %s ends", List.of(args)).isTrue();
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** The tests' own tasks are submitted with priority 9, so that a claim gets the newest one. */
  static JsonNode claimAndStart(String id, String node) {
    mesh.awaitProjected();
    JsonNode c = client.task("claim", Map.of("node_id", node));
    assertThat(c.path("task_id").asText()).isEqualTo(id);
    client.task("start", fence(id, c));
    return c;
  }

  static Map<String, Object> fence(String id, JsonNode claimed) {
    Map<String, Object> b = new HashMap<>();
    b.put("task_id", id);
    b.put("node_id", claimed.path("owner").asText());
    b.put("claim_token", claimed.path("claim_token").asLong());
    return b;
  }

  @Test
  void watch_followsTheTaskAcrossAnOrchestratorRestart_andExits0WhenItCompletes() throws Exception {
    Run submitted =
        run(Map.of(), "submit", "--task-id", "w-ok", "--title", "Watched", "--priority", "9", "-q");
    assertThat(submitted.exit()).as(submitted.out()).isZero();
    assertThat(submitted.out()).isEqualTo("w-ok\n");
    JsonNode c = claimAndStart("w-ok", "wn1");

    Path log = Files.createTempFile("jetmesh-watch-", ".txt");
    Process watch = launch(log, Map.of(), "watch", "task", "w-ok");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("running"));

    mesh.stopOrchestrator(); // the event stream breaks; the watch keeps trying
    assertThat(watch.isAlive()).isTrue();
    mesh.startOrchestrator();
    Map<String, Object> done = fence("w-ok", c);
    done.put("result", Map.of("success", true, "summary", "all good"));
    client.task("complete", done);

    assertThat(watch.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
    String out = Files.readString(log);
    assertThat(watch.exitValue()).as(out).isZero();
    assertThat(out).contains("task w-ok  running").contains("task w-ok  completed");
    assertThat(out).contains("result: all good");
  }

  @Test
  void watch_ofATaskThatFails_exits1_andJsonPrintsItsState() throws Exception {
    run(Map.of(), "submit", "--task-id", "w-bad", "--title", "Doomed", "--priority", "9");
    JsonNode c = claimAndStart("w-bad", "wn2");
    Map<String, Object> fail = fence("w-bad", c);
    fail.put("reason", "it broke");
    client.task("fail", fail);
    Run r = run(Map.of(), "watch", "task", "w-bad", "--json");
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    JsonNode last = Json.mapper().readTree(lines.get(lines.size() - 1));
    assertThat(last.path("status").asText()).isEqualTo("failed");
    assertThat(last.path("task_id").asText()).isEqualTo("w-bad");
  }

  @Test
  void wireCommands_exit1WhenRefused_and3WhenNatsCannotBeReached() throws Exception {
    run(Map.of(), "submit", "--task-id", "dup", "--title", "Once");
    Run again = run(Map.of(), "submit", "--task-id", "dup", "--title", "Twice");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).isEqualTo("jetmesh: Task dup already exists\n");

    Run bad = run(Map.of(), "submit", "--title", "T", "--collab", "circle");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out())
        .isEqualTo(
            "jetmesh: Invalid collaboration spec: mode must be parallel, sequential or review\n");

    Run down = run(Map.of("MESH_NATS_URL", "nats://127.0.0.1:1"), "cancel", "dup");
    assertThat(down.exit()).isEqualTo(3);
    assertThat(down.out().strip().lines()).hasSize(1);
    assertThat(down.out()).startsWith("jetmesh: cannot connect to NATS at nats://127.0.0.1:1");
    assertThat(run(Map.of(), "cancel", "dup").exit()).isZero(); // leaves the queue to the others
  }
}
