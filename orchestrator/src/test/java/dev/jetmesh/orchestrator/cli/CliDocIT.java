package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.config.ClientSettings;
import dev.jetmesh.orchestrator.testing.FreePorts;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example of docs/cli.md, in order, in one bash session whose {@code jetmesh} is this
 * build's CLI, against a real orchestrator with {@link StandInWorker} as its workers. An example
 * must exit 0 unless it ends in {@code # exit N}; {@code # runs until stopped} is started, seen
 * healthy and stopped; files marked {@code <!-- file: NAME -->} are written first. So the page
 * cannot drift from what the commands do.
 */
class CliDocIT {
  static final Path DOC = Path.of("../docs/cli.md");
  private static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d)\\s*$");
  private static final String MAIN = "dev.jetmesh.orchestrator.cli.Main";

  static TestMesh mesh;
  static MeshClient client;
  static StandInWorker worker;

  record Example(String line, int exit) {}

  record Ran(Example example, int exit, String output) {}

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(Map.of());
    client = mesh.client();
    worker = new StandInWorker(client);
    client.ok(
        "mesh.nodes.join",
        Map.of("node_id", "worker-7", "providers", List.of("shell"), "host", Map.of()));
  }

  @AfterAll
  static void stop() {
    worker.close();
    client.close();
    mesh.close();
  }

  /** The {@code sh} examples of the page, in order, and its files. */
  static List<Example> examples(List<String> lines, Map<String, String> files) {
    List<Example> out = new ArrayList<>();
    String block = null;
    String file = null;
    StringBuilder content = new StringBuilder();
    for (String l : lines) {
      Matcher f = Pattern.compile("<!-- file: (\\S+) -->").matcher(l);
      if (block == null && f.find()) {
        file = f.group(1);
      } else if (block == null && l.startsWith("```")) {
        block = l.substring(3).strip();
        content.setLength(0);
      } else if (block != null && l.startsWith("```")) {
        if (file != null) {
          files.put(file, content.toString());
          file = null;
        }
        block = null;
      } else if (block != null) {
        content.append(l).append('\n');
        if (block.equals("sh") && !l.isBlank()) {
          Matcher m = EXIT.matcher(l);
          out.add(new Example(l, m.find() ? Integer.parseInt(m.group(1)) : 0));
        }
      }
    }
    return out;
  }

  @Test
  void everyExampleOfTheCliPage_runs_andDoesWhatThePageSays(@TempDir Path dir) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    List<Example> examples = examples(Files.readAllLines(DOC), files);
    for (var f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    everyCommandHasAnExample(examples);

    List<Ran> ran = new ArrayList<>();
    try (Shell sh = new Shell(dir, env())) {
      for (Example e : examples) {
        if (e.line().contains("# runs until stopped")) {
          ran.add(serve(e));
        } else {
          Ran r = sh.run(e);
          ran.add(r);
          checkExit(r);
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    ran.forEach(r -> out.put(r.example().line(), r.output()));
    // What each example printed, for a person reviewing the page (not an assertion).
    StringBuilder transcript = new StringBuilder();
    ran.forEach(
        r ->
            transcript
                .append("$ ")
                .append(r.example().line())
                .append("\n")
                .append(r.output())
                .append("[exit ")
                .append(r.exit())
                .append("]\n\n"));
    Files.writeString(Path.of("target/cli-doc-transcript.txt"), transcript);
    assertThat(out.get("jetmesh tasks")).contains("hello").contains("completed");
    assertThat(out.get("jetmesh show hello")).containsPattern("status +completed");
    assertThat(out.get("jetmesh attempts --task hello")).contains("shell").contains("1.2s");
    assertThat(out.get("jetmesh watch task docs-review    # exit 1")).contains("cancelled");
    assertThat(out.get("jetmesh show no-such-task    # exit 1"))
        .isEqualTo("jetmesh: Task no-such-task not found\n");
    assertThat(out.get("jetmesh tasks --api-url http://127.0.0.1:1    # exit 3"))
        .startsWith("jetmesh: cannot reach the read API at http://127.0.0.1:1");
    String replay = out.get("jetmesh collab replay \"$SESSION\"");
    assertThat(replay).contains("mismatches: 0").doesNotContain("CollabTally[");
    assertThat(replay).contains("2 reflections (2 valid): 2 converged, 0 continue, 0 blocked");
    assertThat(out.get("jetmesh watch plan \"$PLAN\"")).contains("2/2 subtasks completed");
    assertThat(out.get("jetmesh node list --status removed --json")).contains("\"worker-7\"");
    assertThat(out.get("complete -p jetmesh")).contains("jetmesh");
  }

  /** What a line may say it exits with, it exits with; a worker line depends on the jar. */
  private static void checkExit(Ran r) {
    String line = r.example().line();
    if (line.contains("# needs jetmesh-worker.jar")) {
      boolean built =
          Files.isRegularFile(Path.of("../worker/target/" + WorkerCommand.JAR))
              || Files.isRegularFile(Path.of("target/" + WorkerCommand.JAR));
      if (built) {
        assertThat(r.output()).as(line).contains("jetmesh-worker");
      } else {
        assertThat(r.exit()).as(line).isEqualTo(2);
        assertThat(r.output()).as(line).contains("the worker is a separate jar");
      }
      return;
    }
    assertThat(r.exit())
        .as("exit code of `%s`:%n%s", line, r.output())
        .isEqualTo(r.example().exit());
  }

  /** Every command (but the hidden one) appears in an example. */
  private static void everyCommandHasAnExample(List<Example> examples) {
    List<String> missing = new ArrayList<>();
    var root = Main.commandLine(new Cli(() -> ClientSettings.from(Map.of()), false));
    Main.everyCommand(
        root,
        c -> {
          if (c.getParent() == null || c.getCommandSpec().usageMessage().hidden()) {
            return;
          }
          List<String> path = new ArrayList<>();
          for (var x = c; x.getParent() != null; x = x.getParent()) {
            path.addFirst(x.getCommandName());
          }
          String cmd = "jetmesh " + String.join(" ", path);
          Pattern used = Pattern.compile(Pattern.quote(cmd) + "(?![\\w-])");
          if (examples.stream().noneMatch(e -> used.matcher(e.line()).find())) {
            missing.add(cmd);
          }
        });
    assertThat(missing).as("commands without an example in docs/cli.md").isEmpty();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(mesh.env());
    env.remove("MESH_HTTP_PORT");
    env.put("MESH_API_URL", "http://127.0.0.1:" + mesh.orchestrator().httpPort());
    env.put("JETMESH_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("JETMESH_CP", System.getProperty("java.class.path"));
    return env;
  }

  /** {@code jetmesh serve}: a second orchestrator on the same mesh, healthy, then stopped. */
  private static Ran serve(Example e) throws Exception {
    String args = e.line().replaceAll("#.*$", "").strip();
    assertThat(args).startsWith("jetmesh ");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MAIN);
    cmd.addAll(List.of(args.substring("jetmesh ".length()).split("\\s+")));
    int port = FreePorts.next();
    Path log = Files.createTempFile("jetmesh-serve-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(mesh.env());
    pb.environment().put("MESH_HTTP_PORT", String.valueOf(port));
    Process p = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode()
                    == 200;
              });
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
    }
    return new Ran(e, p.exitValue(), Files.readString(log));
  }

  /**
   * One bash process fed one example at a time; after each, a marker line carries its exit code.
   * Output and errors are read together, as a person sees them.
   */
  static final class Shell implements AutoCloseable {
    private static final String MARK = "@@jetmesh-doc-exit ";
    private final Process bash;
    private final Writer in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Shell(Path dir, Map<String, String> env) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder("bash", "--noprofile", "--norc").directory(dir.toFile());
      pb.redirectErrorStream(true);
      pb.environment().putAll(env);
      bash = pb.start();
      in = new java.io.OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  lines.add(MARK + "-1 (reader: " + e + ")");
                }
              },
              "doc-shell");
      reader.setDaemon(true);
      reader.start();
      send("jetmesh() { \"$JETMESH_JAVA\" -cp \"$JETMESH_CP\" " + MAIN + " \"$@\"; }\n");
    }

    private void send(String s) throws IOException {
      in.write(s);
      in.flush();
    }

    Ran run(Example e) throws Exception {
      // stdin of an example is not the shell's script: nothing may read what follows it
      String command = e.line().replaceAll("\\s+#[^'\"]*$", "");
      send(command + " </dev/null\necho \"" + MARK + "$?\"\n");
      StringBuilder out = new StringBuilder();
      while (true) {
        String l = lines.poll(180, TimeUnit.SECONDS);
        assertThat(l).as("`%s` did not end within 180 s; so far:%n%s", e.line(), out).isNotNull();
        if (l.startsWith(MARK)) {
          return new Ran(
              e, Integer.parseInt(l.substring(MARK.length()).split(" ")[0]), out.toString());
        }
        out.append(l).append('\n');
      }
    }

    @Override
    public void close() throws IOException {
      send("exit\n");
      try {
        if (!bash.waitFor(10, TimeUnit.SECONDS)) {
          bash.destroyForcibly();
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
