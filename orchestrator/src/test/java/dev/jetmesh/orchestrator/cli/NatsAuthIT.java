package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.StorageType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code jetmesh nats-auth} against a private nats-server that includes its output: each role can
 * do its work, and every attempt outside it is refused by the server (a permissions violation, no
 * event appended) or, for a body that names another node, by the orchestrator ({@code NOT_OWNER}).
 */
class NatsAuthIT {
  @TempDir static Path dir;
  static TestMesh mesh;
  static String hostPort;

  @BeforeAll
  static void up() throws Exception {
    // docs/security.md's command, as written there, with --out pointed at a temporary directory
    List<String> args = new ArrayList<>(documentedCommand());
    args.set(args.indexOf("--out") + 1, dir.toString());
    int exit = new CommandLine(new NatsAuthCommand()).execute(args.toArray(String[]::new));
    assertThat(exit).isZero();
    Path conf = dir.resolve(NatsAuthCommand.SERVER_CONFIG);
    mesh =
        TestMesh.start(
            Map.of(),
            // the server reads includes relative to its own config: hand it the text
            Files.readString(conf),
            plain -> {
              hostPort = plain.substring("nats://".length());
              return url("orchestrator");
            });
  }

  @AfterAll
  static void down() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void everyNatsAuthCommand_ofTheSecurityPage_runs(@TempDir Path other) throws Exception {
    List<String> lines =
        Files.readAllLines(Path.of("../docs/security.md")).stream()
            .filter(l -> l.startsWith("jetmesh nats-auth "))
            .toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      List<String> args =
          new ArrayList<>(
              List.of(line.trim().split("\\s+")).subList(2, line.trim().split("\\s+").length));
      Path out = other.resolve("run-" + lines.indexOf(line));
      args.set(args.indexOf("--out") + 1, out.toString());
      assertThat(new CommandLine(new NatsAuthCommand()).execute(args.toArray(String[]::new)))
          .as(line)
          .isZero();
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).equals("--node")) {
          assertThat(out.resolve("node-" + args.get(i + 1) + ".env")).as(line).exists();
        }
      }
      assertThat(Files.readString(out.resolve("nats-auth.conf"))).contains("user: \"client\"");
    }
  }

  @Test
  void everyFileHoldsAPassword_andIsReadableByItsOwnerOnly() throws Exception {
    for (String f :
        List.of(
            "nats-auth.conf", "orchestrator.env", "client.env", "observer.env", "node-w1.env")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))))
          .as(f)
          .isEqualTo("rw-------");
    }
    assertThat(env("node-w1").getProperty("MESH_NODE_ID")).isEqualTo("w1");
  }

  @Test
  void worker_sendsItsOwnCommands_andReceivesItsWork() throws Exception {
    try (NatsPeer client = NatsPeer.as(url("client"), "client");
        NatsPeer w1 = NatsPeer.as(url("node-w1"), "node-w1")) {
      client.ok(
          "mesh.tasks.submit",
          Map.of("task_id", "auth-own", "title", "own work", "preferred_nodes", List.of("w1")));
      mesh.awaitProjected(); // a claim that finds another task does not wait for this one
      JsonNode t = w1.ok("mesh.as.w1.tasks.claim", Map.of());
      assertThat(t.path("task_id").asText()).isEqualTo("auth-own");
      assertThat(t.path("owner").asText()).isEqualTo("w1");
      long token = t.path("claim_token").asLong();
      w1.ok("mesh.as.w1.tasks.start", Map.of("task_id", "auth-own", "claim_token", token));
      JsonNode done =
          w1.ok(
              "mesh.as.w1.tasks.complete",
              Map.of("task_id", "auth-own", "node_id", "w1", "claim_token", token));
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(w1.violations()).isEmpty();
    }
  }

  @Test
  void worker_cannotAppendToTheEventStream() throws Exception {
    try (NatsPeer w1 = NatsPeer.as(url("node-w1"), "node-w1")) {
      long before = lastSeq();
      w1.nc.publish("mesh.evt.task.forged", "{}".getBytes(StandardCharsets.UTF_8));
      w1.awaitViolation("Publish to \"mesh.evt.task.forged\"");
      var js =
          w1.nc.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build());
      assertThatThrownBy(() -> js.publish("mesh.evt.task.forged", new byte[] {'{', '}'}))
          .isInstanceOf(java.io.IOException.class);
      var jsm =
          w1.nc.jetStreamManagement(
              JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build());
      assertThatThrownBy(() -> jsm.purgeStream(Subjects.DEFAULT_STREAM)).isNotNull();
      w1.awaitViolation("$JS.API.STREAM.PURGE." + Subjects.DEFAULT_STREAM);
      assertThat(lastSeq()).isEqualTo(before);
    }
  }

  @Test
  void worker_cannotClaimOrCompleteAsAnotherNode() throws Exception {
    try (NatsPeer client = NatsPeer.as(url("client"), "client");
        NatsPeer w1 = NatsPeer.as(url("node-w1"), "node-w1");
        NatsPeer w2 = NatsPeer.as(url("node-w2"), "node-w2")) {
      client.ok(
          "mesh.tasks.submit",
          Map.of("task_id", "auth-w2", "title", "w2's", "preferred_nodes", List.of("w2")));
      mesh.awaitProjected();
      // another node's subject, or the plain one with another node in the body: the server refuses
      w1.noReply("mesh.as.w2.tasks.claim", Map.of());
      w1.awaitViolation("Publish to \"mesh.as.w2.tasks.claim\"");
      w1.noReply("mesh.tasks.claim", Map.of("node_id", "w2"));
      w1.awaitViolation("Publish to \"mesh.tasks.claim\"");
      JsonNode t = w2.ok("mesh.as.w2.tasks.claim", Map.of());
      assertThat(t.path("task_id").asText()).isEqualTo("auth-w2");
      long token = t.path("claim_token").asLong();
      long before = lastSeq();
      // its own subject with another node in the body, even with that node's claim token
      JsonNode r =
          w1.request(
              "mesh.as.w1.tasks.complete",
              Map.of("task_id", "auth-w2", "node_id", "w2", "claim_token", token));
      assertThat(r.path("code").asText()).isEqualTo("NOT_OWNER");
      assertThat(r.path("error").asText()).contains("node w1 may act only as itself");
      // its own subject, no node in the body: fenced as itself, and it does not own the task
      r =
          w1.request(
              "mesh.as.w1.tasks.complete", Map.of("task_id", "auth-w2", "claim_token", token));
      assertThat(r.path("error").asText()).isEqualTo("Task auth-w2 is owned by w2, not w1");
      assertThat(lastSeq()).isEqualTo(before);
      w2.ok("mesh.as.w2.tasks.release", Map.of("task_id", "auth-w2", "claim_token", token));
    }
  }

  @Test
  void worker_cannotReadOtherNodesInboxes_orTheirNotices_orOthersCommands() throws Exception {
    try (NatsPeer w1 = NatsPeer.as(url("node-w1"), "node-w1")) {
      for (String s :
          List.of(
              "_INBOX.node-w2.>", "_INBOX.>", "mesh.agent.w2.alive", "mesh.tasks.>", "mesh.as.>")) {
        w1.nc.subscribe(s);
        w1.awaitViolation("Subscription to \"" + s + "\"");
      }
    }
  }

  @Test
  void worker_keepsTranscripts_inTheOutputsBucket_only() throws Exception {
    try (NatsPeer w1 = NatsPeer.as(url("node-w1"), "node-w1")) {
      var osm = w1.nc.objectStoreManagement();
      if (!osm.getBucketNames().contains("MESH_OUTPUTS")) {
        osm.create(
            ObjectStoreConfiguration.builder("MESH_OUTPUTS").storageType(StorageType.File).build());
      }
      ObjectStore os = w1.nc.objectStore("MESH_OUTPUTS");
      byte[] text = "transcript".getBytes(StandardCharsets.UTF_8);
      os.put(ObjectMeta.builder("w1-t1").build(), new ByteArrayInputStream(text));
      os.put(ObjectMeta.builder("w1-t1").build(), new ByteArrayInputStream(text)); // replaces
      assertThat(os.getInfo("w1-t1").getSize()).isEqualTo(text.length);
      var jsm =
          w1.nc.jetStreamManagement(
              JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build());
      assertThatThrownBy(() -> jsm.deleteStream("OBJ_MESH_OUTPUTS")).isNotNull();
      w1.awaitViolation("$JS.API.STREAM.DELETE.OBJ_MESH_OUTPUTS");
    }
  }

  @Test
  void worker_answersItsAliveCheck_andBeatsAsItself_only() throws Exception {
    try (NatsPeer orch = NatsPeer.as(url("orchestrator"), "orchestrator");
        NatsPeer w1 = NatsPeer.as(url("node-w1"), "node-w1")) {
      io.nats.client.Dispatcher d =
          w1.nc.createDispatcher(
              m ->
                  w1.nc.publish(
                      m.getReplyTo(), "{\"alive\":true}".getBytes(StandardCharsets.UTF_8)));
      d.subscribe(Subjects.agentAlive("w1"));
      w1.nc.flush(Duration.ofSeconds(5));
      Message answer =
          orch.nc.request(Subjects.agentAlive("w1"), new byte[] {'{', '}'}, Duration.ofSeconds(5));
      assertThat(answer).as("the alive check's answer").isNotNull();
      assertThat(new String(answer.getData(), StandardCharsets.UTF_8)).contains("alive");
      // answering is allowed only as a reply: the orchestrator's inbox is not open to it otherwise
      w1.nc.publish("_INBOX.orchestrator.forged", new byte[] {'x'});
      w1.awaitViolation("Publish to \"_INBOX.orchestrator.forged\"");
      w1.nc.publish(Subjects.health("w1"), new byte[] {'{', '}'});
      w1.nc.publish(Subjects.health("w2"), new byte[] {'{', '}'});
      w1.awaitViolation("Publish to \"mesh.health.w2\"");
      assertThat(w1.violations()).noneMatch(v -> v.contains("mesh.health.w1"));
    }
  }

  @Test
  void observer_canOnlyRead() throws Exception {
    try (NatsPeer client = NatsPeer.as(url("client"), "client");
        NatsPeer observer = NatsPeer.as(url("observer"), "observer")) {
      client.ok("mesh.tasks.submit", Map.of("task_id", "auth-seen", "title", "seen"));
      assertThat(
              observer.ok("mesh.tasks.get", Map.of("task_id", "auth-seen")).path("status").asText())
          .isEqualTo("queued");
      assertThat(
              new EventStore(observer.nc, Subjects.DEFAULT_STREAM)
                  .read(Subjects.taskEvents("auth-seen")))
          .hasSize(1);
      long before = lastSeq();
      for (String s :
          List.of(
              "mesh.tasks.submit",
              "mesh.tasks.cancel",
              "mesh.tasks.claim",
              "mesh.plans.create",
              "mesh.nodes.remove")) {
        observer.noReply(s, Map.of("task_id", "auth-seen", "title", "x"));
        observer.awaitViolation("Publish to \"" + s + "\"");
      }
      observer.nc.publish("mesh.evt.task.auth-seen", new byte[] {'{', '}'});
      observer.awaitViolation("Publish to \"mesh.evt.task.auth-seen\"");
      assertThat(lastSeq()).isEqualTo(before);
    }
  }

  @Test
  void client_canSubmitAndRead_butNotAppendEvents_norActAsAWorker() throws Exception {
    try (NatsPeer client = NatsPeer.as(url("client"), "client")) {
      client.ok("mesh.tasks.submit", Map.of("task_id", "auth-cli", "title", "from the CLI"));
      assertThat(client.ok("mesh.tasks.list", Map.of()).size()).isPositive();
      assertThat(
              new EventStore(client.nc, Subjects.DEFAULT_STREAM)
                  .read(Subjects.taskEvents("auth-cli")))
          .hasSize(1);
      long before = lastSeq();
      client.nc.publish("mesh.evt.task.auth-cli", new byte[] {'{', '}'});
      client.awaitViolation("Publish to \"mesh.evt.task.auth-cli\"");
      for (String s :
          List.of("mesh.tasks.claim", "mesh.tasks.complete", "mesh.as.w1.tasks.claim")) {
        client.noReply(s, Map.of("node_id", "w1"));
        client.awaitViolation("Publish to \"" + s + "\"");
      }
      assertThat(lastSeq()).isEqualTo(before);
    }
  }

  @Test
  void theCli_withTheClientsUrl_submits() throws Exception {
    Properties env = env("client");
    try (MeshWire wire =
        new MeshWire(env.getProperty("MESH_NATS_URL").replace("127.0.0.1:4222", hostPort), null)) {
      JsonNode t =
          wire.request(
              Subjects.tasks("submit"),
              Json.mapper().createObjectNode().put("task_id", "auth-wire").put("title", "via CLI"));
      assertThat(t.path("status").asText()).isEqualTo("queued");
    }
  }

  // ---- fixtures --------------------------------------------------------------------------------

  /** The {@code jetmesh nats-auth} line of docs/security.md, its arguments after the name. */
  static List<String> documentedCommand() throws Exception {
    String line =
        Files.readAllLines(Path.of("../docs/security.md")).stream()
            .filter(l -> l.startsWith("jetmesh nats-auth "))
            .findFirst()
            .orElseThrow();
    List<String> words = List.of(line.trim().split("\\s+"));
    assertThat(words).contains("--out", "--url", "--node");
    return words.subList(2, words.size());
  }

  static long lastSeq() {
    return mesh.orchestrator().store().lastSequence();
  }

  static Properties env(String user) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newInputStream(dir.resolve(user + ".env"))) {
      p.load(in);
    }
    return p;
  }

  /** The URL in {@code user}'s env file, pointed at this test's server. */
  static String url(String user) {
    try {
      return env(user).getProperty("MESH_NATS_URL").replace("127.0.0.1:4222", hostPort);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
