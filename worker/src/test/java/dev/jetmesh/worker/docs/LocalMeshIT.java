package dev.jetmesh.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.testing.Pids;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.schema.Json;
import io.nats.client.Nats;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Try it" and docs/operations.md's "A local mesh", run the way a new user runs them:
 * {@code .ci/mesh} in two fresh checkouts on one machine at the same time. One has everything of
 * its own (its own nats-server and an embedded PostgreSQL under {@code .mesh/}), the other its own
 * nats-server and a database given in {@code MESH_DB_URL}. Both take the same task id, which only
 * works when they share no state; a worker whose provider program is missing makes {@code up} fail
 * with the worker's own line; {@code down} leaves nothing running that {@code up} started.
 *
 * <p>A checkout here is a copy of what {@code .ci/mesh} needs ({@code .ci/}, {@code bin/}, the
 * Maven wrapper) plus the jars this build just packaged, so the script finds nothing to build.
 */
class LocalMeshIT {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(1);

  @TempDir Path tmp;

  @Test
  void twoCheckouts_runTheReadmeTasks_sideBySide_andDownLeavesNothingRunning() throws Exception {
    Path a = checkout("a");
    Path b = checkout("b");
    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> own = Map.of();
      Map<String, String> givenDb = Map.of("MESH_DB_URL", db.url(), "MESH_DB_USER", db.user());
      try {
        Map<String, String> missingProgram = new HashMap<>(givenDb);
        missingProgram.put("MESH_LLM_PROVIDER", "claude");
        missingProgram.put("CLAUDE_PATH", "/nonexistent/claude");
        // Both at once: two checkouts starting side by side must not get in each other's way.
        Started startA = start(a, own, "up");
        Started startB = start(b, missingProgram, "up", "1");
        Run upA = startA.await(UP_TIMEOUT);
        Run refused = startB.await(UP_TIMEOUT);
        assertThat(upA.code()).as(upA.toString()).isZero();
        assertThat(upA.out())
            .contains("jetmesh is up")
            .contains("local-1 (shell), local-2 (shell)");
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err())
            .contains("worker-1 exited at start (exit code 2)")
            .contains("program \"/nonexistent/claude\" is not an executable file");

        Run upB = mesh(b, givenDb, UP_TIMEOUT, "up", "1");
        assertThat(upB.code()).as(upB.toString()).isZero();
        assertThat(upB.out()).contains(db.name() + ", user").contains("local-1 (shell)");

        for (Path co : List.of(a, b)) {
          Run submit =
              cli(
                  co,
                  "submit",
                  "--task-id",
                  "hello",
                  "--title",
                  "Hello",
                  "--description",
                  "echo hello > hello.txt");
          assertThat(submit.code()).as(submit.toString()).isZero();
        }
        for (Path co : List.of(a, b)) {
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> json(cli(co, "get", "hello", "--json")).path("status").asText(),
                  "completed"::equals);
          Path hello = co.resolve(".mesh/workspace/hello.txt");
          await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(hello));
          assertThat(Files.readString(hello)).isEqualTo("hello\n");
          // SQL over the read models (docs/sql-cookbook.md), on the embedded and the given database
          Run sql = cli(co, "psql", "-Atc", "SELECT status FROM tasks WHERE task_id = 'hello'");
          assertThat(sql.code()).as(sql.toString()).isZero();
          assertThat(sql.out().strip()).isEqualTo("completed");
        }
        // Each mesh knows its own task only: the pass-through, spelled both ways.
        assertThat(
                json(cli(a, "list", "--status", "completed", "--json")).findValuesAsText("task_id"))
            .containsExactly("hello");
        assertThat(
                json(cli(b, "jetmesh", "list", "--status", "completed", "--json"))
                    .findValuesAsText("task_id"))
            .containsExactly("hello");

        tourCollaboration(a);

        Run statusA = mesh(a, own, CLI_TIMEOUT, "status");
        assertThat(statusA.code()).as(statusA.toString()).isZero();
        assertThat(statusA.out())
            .containsPattern("nats +running \\(pid \\d+\\) +nats://127\\.0\\.0\\.1:\\d+.* healthy")
            .containsPattern("postgres +running \\(pid \\d+\\) +jdbc:postgresql://.* healthy")
            .containsPattern(
                "orchestrator +running \\(pid \\d+\\) +http://127\\.0\\.0\\.1:\\d+ +healthy")
            .contains("worker-2")
            .doesNotContain("UNHEALTHY");
        Run statusB = mesh(b, own, CLI_TIMEOUT, "status");
        assertThat(statusB.code()).as(statusB.toString()).isZero();
        assertThat(statusB.out()).contains("postgres      given").doesNotContain("worker-2");

        Set<Long> started = new TreeSet<>();
        started.addAll(startedProcesses(a));
        started.addAll(startedProcesses(b));
        // a: nats, postgres and its server processes, orchestrator, 2 workers; b: 3 more
        assertThat(started).hasSizeGreaterThan(8);

        Run env = mesh(a, own, CLI_TIMEOUT, "env");
        assertThat(env.out())
            .containsPattern("export MESH_NATS_URL=nats://client:[^@\\s]+@127\\.0\\.0\\.1:\\d+")
            .containsPattern("export MESH_API_URL=http://127\\.0\\.0\\.1:\\d+");
        // The mesh's own nats-server has users (docs/security.md): nobody connects without one.
        Matcher port = Pattern.compile("@127\\.0\\.0\\.1:(\\d+)").matcher(env.out());
        assertThat(port.find()).isTrue();
        assertThatThrownBy(() -> Nats.connect("nats://127.0.0.1:" + port.group(1)).close())
            .hasMessageContaining("Authorization Violation");

        // A pid file whose pid is now another process (this test's JVM): down must leave it alone.
        long self = ProcessHandle.current().pid();
        Files.writeString(b.resolve(".mesh/run/worker-9.pid"), self + " 1 shell\n");

        // A process the previous .ci/mesh started: its pid file straight in .mesh/, its command
        // line naming the checkout's jar. down stops it too.
        Process legacy =
            new ProcessBuilder(
                    "bash",
                    "-c",
                    "exec -a \"$0\" sleep 600",
                    b.resolve("worker/target/jetmesh-worker.jar").toString())
                .start();
        Files.writeString(b.resolve(".mesh/worker-1.pid"), legacy.pid() + "\n");

        for (Path co : List.of(a, b)) {
          Run down = mesh(co, own, CLI_TIMEOUT, "down");
          assertThat(down.code()).as(down.toString()).isZero();
          assertThat(down.out()).contains("jetmesh stopped.").doesNotContain("killed");
          if (co.equals(b)) {
            assertThat(down.out())
                .contains("worker-9: was not running (pid " + self)
                .contains(
                    "worker-1: stopped (pid " + legacy.pid() + ", started by an older .ci/mesh)");
          }
        }
        assertThat(legacy.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(started.stream().filter(Pids::running)).isEmpty();
        assertThat(mesh(b, own, CLI_TIMEOUT, "status").out()).contains("nothing is running");
        assertThat(processesMentioning(tmp)).isEmpty();

        Run reset = mesh(a, own, CLI_TIMEOUT, "reset");
        assertThat(reset.code()).as(reset.toString()).isZero();
        assertThat(a.resolve(".mesh")).doesNotExist();
      } finally {
        // After a failure: stop whatever is still up, so that the database can be dropped.
        for (Path co : List.of(a, b)) {
          mesh(co, own, CLI_TIMEOUT, "down");
        }
        processesMentioning(tmp).forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * Step 2 of the README's tour on the mesh's two real shell workers: the collaboration example of
   * docs/cli.md, as the page writes it, converges in its first round (each member's command prints
   * its vote) and its work is merged into the workspace.
   */
  private void tourCollaboration(Path co) throws IOException {
    Matcher file =
        Pattern.compile("<!-- file: review\\.yaml -->\\n```yaml\\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(REPO.resolve("docs/cli.md")));
    assertThat(file.find()).as("review.yaml in docs/cli.md").isTrue();
    Files.writeString(co.resolve("review.yaml"), file.group(1));
    Run start = cli(co, "jetmesh", "collab", "start", "-f", "review.yaml", "-q");
    assertThat(start.code()).as(start.toString()).isZero();
    String session = start.out().strip();
    Run watch = mesh(co, Map.of(), Duration.ofMinutes(3), "jetmesh", "watch", "session", session);
    assertThat(watch.code()).as(watch.toString()).isZero();
    JsonNode shown = json(cli(co, "jetmesh", "collab", "show", session, "--json"));
    assertThat(shown.path("status").asText()).as(shown.toString()).isEqualTo("completed");
    assertThat(shown.path("result").path("summary").asText())
        .as(shown.toString())
        .isEqualTo("Converged after 1 rounds with 2 nodes");
    Run replay = cli(co, "jetmesh", "collab", "replay", session);
    assertThat(replay.out())
        .as(replay.toString())
        .contains("2 reflections (2 valid): 2 converged, 0 continue, 0 blocked")
        .contains("mismatches: 0");
    Path review = co.resolve(".mesh/workspace/review.txt");
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(review));
    assertThat(Files.readString(review)).isEqualTo("reviewed\n");
  }

  /** The pids in {@code .mesh/run/} and every descendant of theirs (PostgreSQL's backends). */
  private static Set<Long> startedProcesses(Path checkout) throws IOException {
    Set<Long> pids = new TreeSet<>();
    try (Stream<Path> files = Files.list(checkout.resolve(".mesh/run"))) {
      for (Path f : files.toList()) {
        long pid = Long.parseLong(Files.readString(f).trim().split(" ")[0]);
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
      }
    }
    return pids;
  }

  private static List<ProcessHandle> processesMentioning(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
        .filter(p -> Pids.running(p.pid()))
        .toList();
  }

  private Path checkout(String name) throws IOException {
    Path co = tmp.resolve(name);
    copyTree(REPO.resolve(".ci"), co.resolve(".ci"));
    copyTree(REPO.resolve("bin"), co.resolve("bin")); // .ci/mesh runs the CLI through bin/jetmesh
    copyTree(REPO.resolve(".mvn"), co.resolve(".mvn"));
    Files.copy(REPO.resolve("mvnw"), co.resolve("mvnw"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String jar :
        List.of(
            "orchestrator/target/jetmesh-orchestrator.jar", "worker/target/jetmesh-worker.jar")) {
      Path from = REPO.resolve(jar);
      assertThat(from).as("packaged by this build before its integration tests").exists();
      Files.createDirectories(co.resolve(jar).getParent());
      Files.copy(from, co.resolve(jar));
    }
    return co;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private Run cli(Path checkout, String... args) {
    return mesh(checkout, Map.of(), CLI_TIMEOUT, args);
  }

  private static JsonNode json(Run r) throws IOException {
    assertThat(r.code()).as(r.toString()).isZero();
    return Json.mapper().readTree(r.out());
  }

  private Run mesh(Path checkout, Map<String, String> env, Duration timeout, String... args) {
    return start(checkout, env, args).await(timeout);
  }

  /**
   * Starts {@code .ci/mesh args} in {@code checkout} with this JVM's environment less every {@code
   * MESH_*} setting, plus {@code env}. Output goes to files: the processes it starts in the
   * background outlive it and keep what they inherited open.
   */
  private Started start(Path checkout, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(checkout.resolve(".ci/mesh").toString()));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(tmp, "mesh-", ".out");
      Path err = Files.createTempFile(tmp, "mesh-", ".err");
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(checkout.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("MESH_"));
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      return new Started(String.join(" ", args), pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Started(String command, Process process, Path out, Path err) {
    Run await(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(".ci/mesh " + command + " ran longer than " + timeout);
        }
        return new Run(command, process.exitValue(), Files.readString(out), Files.readString(err));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  private record Run(String command, int code, String out, String err) {
    @Override
    public String toString() {
      return ".ci/mesh "
          + command
          + " exited "
          + code
          + "\n--- stdout:\n"
          + out
          + "--- stderr:\n"
          + err;
    }
  }
}
