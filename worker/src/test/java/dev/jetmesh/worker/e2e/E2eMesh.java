package dev.jetmesh.worker.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Json;
import dev.jetmesh.worker.testing.FakeLlm;
import dev.jetmesh.worker.testing.GitRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One test class's mesh (private nats-server, fresh database, in-process orchestrator) with the
 * helpers the end-to-end tests share: a sandbox per test (workspace repository, worktree base, fake
 * LLM), the environment of a worker process, submitting, and reading the read model with SQL.
 * Thread-safe as far as its parts are (JDBC connections are opened per query).
 */
final class E2eMesh implements AutoCloseable {
  private final TestMesh mesh;
  private final MeshClient client;

  private E2eMesh(TestMesh mesh) {
    this.mesh = mesh;
    this.client = mesh.client();
  }

  static E2eMesh start(Map<String, String> overrides) {
    return new E2eMesh(TestMesh.start(overrides));
  }

  MeshClient client() {
    return client;
  }

  String natsUrl() {
    return mesh.env().get("MESH_NATS_URL");
  }

  /** The in-process orchestrator's HTTP port. */
  int httpPort() {
    return mesh.orchestrator().httpPort();
  }

  /** A test's private files: a workspace repository with one commit, worktrees, the fake LLM. */
  record Sandbox(Path dir, Path workspace, Path worktrees, Path fakeLlm) {
    String head() {
      return GitRepos.git(workspace, "rev-parse", "HEAD");
    }

    /** The paths in the tree of the workspace's HEAD. */
    List<String> headFiles() {
      return List.of(GitRepos.git(workspace, "ls-tree", "-r", "--name-only", "HEAD").split("\n"));
    }

    /** A file's content at the workspace's HEAD. */
    String atHead(String path) {
      return GitRepos.git(workspace, "show", "HEAD:" + path);
    }
  }

  static Sandbox sandbox(Path dir) {
    try {
      Path ws = GitRepos.init(dir.resolve("workspace"));
      Path trees = Files.createDirectories(dir.resolve("worktrees"));
      Path fake = FakeLlm.install(Files.createDirectories(dir.resolve("bin")));
      return new Sandbox(dir, ws, trees, fake);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An executable copy of the test resource {@code /fake-llm/<name>} in {@code dir}. */
  static Path script(Path dir, String name) {
    try (java.io.InputStream in = E2eMesh.class.getResourceAsStream("/fake-llm/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource /fake-llm/" + name + " missing");
      }
      Path target = Files.createDirectories(dir).resolve(name);
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(
          target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The whole environment of a worker process on node {@code node} working on {@code box}: short
   * poll, heartbeat and backoff intervals; the fake LLM as the claude binary; HOME in the sandbox,
   * so that no operator's providers file is read. Mutable: tests add fake-LLM switches.
   */
  Map<String, String> workerEnv(String node, Sandbox box, int maxAttempts) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", box.dir().toString());
    env.put("MESH_NATS_URL", natsUrl());
    env.put("MESH_NODE_ID", node);
    env.put("MESH_WORKSPACE", box.workspace().toString());
    env.put("MESH_WORKTREE_BASE", box.worktrees().toString());
    env.put("MESH_LLM_PROVIDER", "claude");
    env.put("CLAUDE_PATH", box.fakeLlm().toString());
    env.put("MESH_MAX_ATTEMPTS", String.valueOf(maxAttempts));
    env.put("MESH_POLL_INTERVAL", "100");
    env.put("MESH_HEARTBEAT_INTERVAL", "200");
    env.put("MESH_RETRY_BACKOFF_MS", "10");
    env.put("MESH_RETRY_BACKOFF_MAX_MS", "50");
    env.put("MESH_METRIC_RETRY_MS", "10");
    return env;
  }

  /** Submits a task; {@code fields} are the wire fields besides task_id. */
  JsonNode submit(String taskId, Map<String, ?> fields) {
    Map<String, Object> body = new LinkedHashMap<>(fields);
    body.put("task_id", taskId);
    return client.task("submit", body);
  }

  /** The task as {@code mesh.tasks.get} returns it. */
  JsonNode get(String taskId) {
    return client.task("get", Map.of("task_id", taskId));
  }

  /** The task's status as the aggregate has it ({@code mesh.tasks.get}). */
  String status(String taskId) {
    return get(taskId).path("status").asText();
  }

  /**
   * Waits until the read model shows the task in {@code status}. The projector applies a batch of
   * events in one transaction, so the task's attempts and event log rows are there too.
   */
  void awaitStatus(String taskId, String status, Duration max) {
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                rows("SELECT status FROM tasks WHERE task_id = ?", taskId).stream()
                    .anyMatch(r -> status.equals(r.get("status"))));
  }

  /**
   * Rows of a query on the read model, column name to value ({@code jsonb} parsed, times as {@link
   * java.time.Instant}).
   */
  List<Map<String, Object>> rows(String sql, Object... params) {
    try (Connection c = mesh.db().connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            if ("jsonb".equals(md.getColumnTypeName(i)) && v != null) {
              v = Json.mapper().readTree(v.toString());
            } else if (v instanceof java.sql.Timestamp t) {
              v = t.toInstant();
            }
            row.put(md.getColumnLabel(i), v);
          }
          out.add(row);
        }
      }
      return out;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(sql + " failed", e);
    }
  }

  /** The types of the task's events in the read model's event log, in stream order. */
  List<String> eventTypes(String taskId) {
    return rows("SELECT type FROM event_log WHERE aggregate_id = ? ORDER BY seq", taskId).stream()
        .map(r -> (String) r.get("type"))
        .toList();
  }

  /** Cancels what a test left queued or held, so that the next test's workers do not claim it. */
  void cancelUnfinished() {
    for (String status : List.of("queued", "claimed", "running")) {
      for (JsonNode t : client.task("list", Map.of("status", status))) {
        client.request(
            "mesh.tasks.cancel",
            Map.of("task_id", t.path("task_id").asText(), "reason", "test cleanup"));
      }
    }
  }

  @Override
  public void close() {
    client.close();
    mesh.close();
  }
}
