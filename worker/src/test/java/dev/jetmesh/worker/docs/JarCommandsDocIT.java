package dev.jetmesh.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.worker.ProviderCheck;
import dev.jetmesh.worker.testing.GitRepos;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of docs/operations.md, docs/worker.md and docs/faults.md that start the jars, run as
 * the pages write them, with bash in the checkout, on the jars this build packaged: the Java they
 * name must be a 21+ (a machine's default {@code java} may be 17), and what they do must be what
 * the pages say. Builds are not run (this build made the jars); that they go through {@code
 * .ci/mvn} is checked. No page may tell anyone to run a bare {@code mvn} or {@code java}.
 */
class JarCommandsDocIT {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Pattern ASSIGNMENTS = Pattern.compile("^(?:[A-Z_][A-Z0-9_]*=\\S* )*");

  static TestMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(Map.of());
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static String doc(String name) throws IOException {
    return Files.readString(REPO.resolve(name), StandardCharsets.UTF_8);
  }

  /** The lines of the first fenced block after the line {@code heading} of {@code doc}. */
  private static List<String> block(String doc, String heading, int index) {
    int at = doc.indexOf("\n" + heading + "\n");
    assertThat(at).as(heading).isNotNegative();
    Matcher m = Pattern.compile("```\\w*\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find(at)).as("a block under %s", heading).isTrue();
    for (int i = 0; i < index; i++) {
      assertThat(m.find()).as("block %d under %s", index, heading).isTrue();
    }
    return m.group(1).strip().lines().toList();
  }

  private static String withoutComment(String line) {
    return line.replaceFirst("\\s+#.*$", "");
  }

  private record Run(int code, String out, String err) {}

  /** {@code line} in bash, in the checkout, with HOME in the test's directory plus {@code env}. */
  private Run bash(String line, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(tmp, "cmd-", ".out");
    Path err = Files.createTempFile(tmp, "cmd-", ".err");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(REPO.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("MESH_"));
    pb.environment().put("HOME", tmp.toString());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("ran longer than 2 minutes: " + line);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void operations_fromTheJar_startsOnAJava21_andSaysWhyItCannotServe() throws Exception {
    List<String> lines = block(doc("docs/operations.md"), "### From the jar", 0);
    assertThat(lines.get(0)).startsWith(".ci/mvn ").contains("package -pl orchestrator");
    Map<String, String> env = new HashMap<>(mesh.env());
    env.put("MESH_NATS_URL", "nats://127.0.0.1:1"); // nothing listens there
    Run r = bash(withoutComment(lines.get(1)), env);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).startsWith("jetmesh: cannot connect to NATS at");
  }

  @Test
  void operations_rebuildVerify_findsTheReadModelsAsTheStreamSays() throws Exception {
    try (MeshClient client = mesh.client()) {
      client.task("submit", Map.of("task_id", "doc-rb", "title", "t", "description", "true"));
      client.task("cancel", Map.of("task_id", "doc-rb", "reason", "only for its events"));
    }
    mesh.awaitProjected();
    List<String> lines =
        block(doc("docs/operations.md"), "### Rebuilding the read models: `jetmesh rebuild`", 0);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains(" rebuild ");
    String verify = withoutComment(lines.get(1));
    assertThat(verify).endsWith(" rebuild --verify");
    Run r = bash(verify, mesh.env());
    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void worker_byHand_andWithAToken_joinTheMesh() throws Exception {
    String section = doc("docs/worker.md");
    Path repo = GitRepos.init(tmp.resolve("repo"));

    List<String> byHand = block(section, "## Running it", 1);
    assertThat(byHand.get(0)).startsWith(".ci/mvn ");
    Map<String, String> env = new HashMap<>();
    env.put("MESH_NATS_URL", mesh.env().get("MESH_NATS_URL"));
    env.put("MESH_NODE_ID", "doc-by-hand");
    Run r = bash(byHand.get(1).replace("/path/to/git/repo", repo.toString()) + " --once", env);
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out() + r.err()).contains("node doc-by-hand joined the mesh");

    // Another machine: a jar, a token, a Java 21+ in JAVA_HOME, and claude (a stand-in: --once
    // finds nothing to claim, so it never runs). No MESH_NATS_URL: the token says where.
    List<String> withToken = block(section, "## Running it", 2);
    assertThat(withToken).hasSize(1);
    Instant now = Instant.now();
    String token =
        JoinToken.sign(
            new JoinToken.Payload(
                3,
                mesh.env().get("MESH_NATS_URL"),
                "worker",
                "claude",
                null,
                null,
                now,
                now.plusSeconds(600),
                "t-doc"),
            JoinToken.key("the-open-test-mesh-checks-no-token-0000"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path claude = Files.writeString(bin.resolve("claude"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path machine = Files.createDirectories(tmp.resolve("machine"));
    Files.copy(
        REPO.resolve("worker/target/jetmesh-worker.jar"), machine.resolve("jetmesh-worker.jar"));
    Map<String, String> other = new HashMap<>();
    other.put("JAVA_HOME", bash(".ci/jdk", Map.of()).out().strip());
    other.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    other.put("MESH_NODE_ID", "doc-token");
    String line =
        withToken.get(0).replace("eyJwIjp7…", token).replace("/path/to/git/repo", repo.toString());
    Run t = bash("cd " + machine + " && " + line + " --once", other);
    assertThat(t.code()).as(t.toString()).isZero();
    assertThat(t.out() + t.err()).contains("node doc-token joined the mesh");
  }

  @Test
  void worker_consoleExamples_printTheirLine_andExitWithTheirCode() throws Exception {
    String doc = doc("docs/worker.md");
    // A machine without claude: the PATH less every directory that has one.
    String path =
        Stream.of(System.getenv("PATH").split(File.pathSeparator))
            .filter(d -> ProviderCheck.locate("claude", d).isEmpty())
            .collect(Collectors.joining(File.pathSeparator));
    GitRepos.init(tmp.resolve(".openclaw/workspace"));
    for (String name : List.of("bad-config", "provider-missing")) {
      List<String> lines = WorkerDocTest.examples(doc, name, "console").get(0).lines().toList();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).startsWith("$ ");
      Run r = bash(lines.get(0).substring(2), Map.of("PATH", path));
      assertThat(r.err().strip()).as(name).isEqualTo(lines.get(1));
      assertThat(r.code()).as(name).isEqualTo(Integer.parseInt(lines.get(3)));
    }
  }

  @Test
  void faults_buildCommand_isWhatCiFaultsRuns() throws IOException {
    Matcher exec =
        Pattern.compile("(?m)^exec \"\\$here/mvn\" (.*?) \"\\$@\"$").matcher(doc(".ci/faults"));
    assertThat(exec.find()).isTrue();
    String text = doc("docs/faults.md").replaceAll("\\s+", " ");
    assertThat(text).contains("(`.ci/mvn " + exec.group(1) + "`)");
  }

  @Test
  void noPage_runsABareMavenOrJava() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<String> bare = new ArrayList<>();
    Pattern block = Pattern.compile("```(?:sh|bash|console|shell)\\n(.*?)```", Pattern.DOTALL);
    for (Path page : pages) {
      Matcher m = block.matcher(Files.readString(page));
      while (m.find()) {
        for (String l : m.group(1).lines().toList()) {
          String cmd =
              ASSIGNMENTS.matcher(l.startsWith("$ ") ? l.substring(2) : l).replaceFirst("");
          if (cmd.startsWith("mvn ") || cmd.startsWith("java ")) {
            bare.add(REPO.relativize(page) + ": " + l);
          }
        }
      }
    }
    assertThat(bare)
        .as("use .ci/mvn, \"$(.ci/jdk)/bin/java\" or bin/jetmesh: the default java may be 17")
        .isEmpty();
  }
}
