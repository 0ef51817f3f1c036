package dev.jetmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.JoinToken;
import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.testing.GitRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {
  @TempDir Path tmp;

  /** An executable {@code name} in {@code dir}, which is created. */
  static Path program(Path dir, String name) {
    try {
      Path p = Files.createDirectories(dir).resolve(name);
      Files.writeString(p, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test's environment: a {@code claude} on its PATH, so that the default provider can run. */
  private Map<String, String> env(Path workspace) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    program(tmp.resolve("bin"), "claude");
    env.put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
    env.put("MESH_NODE_ID", "node-1");
    if (workspace != null) {
      env.put("MESH_WORKSPACE", workspace.toString());
    }
    return env;
  }

  @Test
  void defaults_areTheReferences() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    WorkerConfig c = WorkerConfig.load(WorkerConfig.Flags.NONE, env(ws));
    assertThat(c.natsUrl()).isEqualTo("nats://127.0.0.1:4222");
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.metricTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.backoff().afterProviderError(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.backoff().afterProviderError(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.backoff().afterProviderError(9)).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.backoff().afterMetricFailure()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.worktreeBase()).isEqualTo(tmp.resolve(".openclaw/worktrees"));
    assertThat(c.healthInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.joinToken()).isNull();
    assertThat(c.capabilities()).isEmpty();
    // claude (on the test's PATH) first, then shell (/bin/bash); none of the others is installed.
    assertThat(c.offeredProviders()).containsExactly("claude", "shell");
  }

  private static String token(String nats) {
    Instant now = Instant.now();
    return JoinToken.sign(
        new JoinToken.Payload(
            3, nats, "worker", "claude", null, null, now, now.plusSeconds(3600), "t-1"),
        JoinToken.key("any-secret-the-worker-never-sees-000000"));
  }

  @Test
  void joinToken_alone_givesTheNatsUrl_andAnExplicitUrlWins() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    String token = token("nats://10.1.2.3:4333");
    env.put("MESH_JOIN_TOKEN", "  " + token + "\n");
    WorkerConfig c = WorkerConfig.load(WorkerConfig.Flags.NONE, env);
    assertThat(c.joinToken()).isEqualTo(token);
    assertThat(c.natsUrl()).isEqualTo("nats://10.1.2.3:4333");
    env.put("MESH_NATS_URL", "nats://127.0.0.1:4999");
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env).natsUrl())
        .isEqualTo("nats://127.0.0.1:4999");
  }

  @Test
  void malformedJoinToken_exitsWith2_withOneLineNamingTheVariable() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_JOIN_TOKEN", "not-a-token");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {},
            env,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(2);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text)
        .startsWith(
            "jetmesh-worker: MESH_JOIN_TOKEN is not a join token (jetmesh join-token prints one):"
                + " Join token is malformed")
        .doesNotContain("Exception");
  }

  @Test
  void tokenWithAnUnreadableNatsUrl_isRefused_namingTheToken() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_JOIN_TOKEN", token("http://example.com"));
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "the NATS URL in MESH_JOIN_TOKEN is not a NATS server URL (nats://host:port[,...]):"
                + " http://example.com");
  }

  @Test
  void capabilities_areTrimmedTags_withoutBlanksOrRepeats_andBounded() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_CAPABILITIES", " gpu, docker,,gpu ,");
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env).capabilities())
        .containsExactly("gpu", "docker");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      many.append("t").append(i).append(',');
    }
    env.put("MESH_CAPABILITIES", many.toString());
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .hasMessage("MESH_CAPABILITIES has 65 tags (max 64)");
  }

  @Test
  void defaultProviderWithoutItsProgram_exitsWith2_namingTheProgramAndTheVariable()
      throws IOException {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("PATH", Files.createDirectories(tmp.resolve("empty-bin")).toString());
    env.put("MESH_LLM_PROVIDER", "claude");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {},
            env,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(2);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text.strip())
        .isEqualTo(
            "jetmesh-worker: MESH_LLM_PROVIDER claude: program \"claude\" not found on PATH"
                + " (install it or set CLAUDE_PATH, or set MESH_LLM_PROVIDER to one this machine"
                + " has (shell))");
  }

  @Test
  void implicitDefault_withoutClaude_isRefused_butADryRunChecksNoProgram() throws IOException {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("PATH", Files.createDirectories(tmp.resolve("empty-bin")).toString());
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "no provider is set and the default, claude, cannot run: program \"claude\" not"
                + " found on PATH");
    WorkerConfig dry = WorkerConfig.load(new WorkerConfig.Flags(false, true, null, null), env);
    assertThat(dry.offeredProviders()).isEmpty();
  }

  @Test
  void otherProvidersWithoutTheirProgram_areLeftOut_ofWhatTheNodeOffers() throws IOException {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    Path bin = tmp.resolve("bin2");
    program(bin, "ollama");
    program(bin, "mycli");
    env.put("PATH", bin.toString());
    env.put("MESH_LLM_PROVIDER", "ollama");
    Path file =
        Files.writeString(
            tmp.resolve("p.json"),
            "{\"mycli\": {\"binary\": \"mycli\"}, \"gone\": {\"binary\": \"/nonexistent/x\"}}");
    env.put("MESH_PROVIDERS_FILE", file.toString());
    WorkerConfig c = WorkerConfig.load(WorkerConfig.Flags.NONE, env);
    assertThat(c.offeredProviders()).containsExactly("ollama", "mycli", "shell");
    // Tasks may still name the others: the registry is unchanged, only the offer is checked.
    assertThat(c.providers().names()).contains("gone", "claude");
  }

  @Test
  void missingWorkspace_isOneClearError() {
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env(tmp.resolve("nope"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void workspaceThatIsNotARepository_isRefused() throws IOException {
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env(plain)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a git repository");
  }

  @Test
  void unknownProvider_inEnvOrFlag_isRefused() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_LLM_PROVIDER", "gpt-9");
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .hasMessageStartingWith("MESH_LLM_PROVIDER: ")
        .hasMessageContaining("Unknown LLM provider \"gpt-9\"");
    assertThatThrownBy(
            () -> WorkerConfig.load(new WorkerConfig.Flags(false, false, "nope", null), env(ws)))
        .hasMessageStartingWith("--provider: ")
        .hasMessageContaining("Unknown LLM provider \"nope\"");
  }

  @Test
  void invalidNodeId_andBadNumbers_areRefused() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_NODE_ID", "node.1");
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .hasMessageContaining("invalid node id \"node.1\"");
    Map<String, String> env2 = env(ws);
    env2.put("MESH_MAX_ATTEMPTS", "three");
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env2))
        .hasMessageContaining("MESH_MAX_ATTEMPTS must be a whole number");
  }

  @Test
  void badConfiguration_exitsWith2_andOneLineOnStderr() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {"--once"},
            env(tmp.resolve("missing")),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(2);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text).startsWith("jetmesh-worker: workspace ").doesNotContain("Exception");
  }

  @Test
  void malformedProvidersFile_exitsWith2() throws IOException {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_PROVIDERS_FILE", Files.writeString(tmp.resolve("p.json"), "{oops").toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {},
            env,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not valid JSON");
  }

  @Test
  void badNatsUrl_exitsWith2_withOneLineNamingTheVariable() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_NATS_URL", "http://example.com:4222");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WorkerMain.run(
            new String[] {"--once"},
            env,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(2);
    assertThat(text.strip().lines()).hasSize(1);
    assertThat(text)
        .startsWith("jetmesh-worker: MESH_NATS_URL is not a NATS server URL")
        .contains("http://example.com:4222")
        .doesNotContain("Exception");
  }

  @Test
  void natsUrl_acceptsWhatTheClientAccepts_andBlankMeansTheDefault() {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_NATS_URL", "nats://a:4222,nats://b:4222");
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env).natsUrl())
        .isEqualTo("nats://a:4222,nats://b:4222");
    env.put("MESH_NATS_URL", "  ");
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env).natsUrl())
        .isEqualTo("nats://127.0.0.1:4222");
  }

  @Test
  void malformedProvidersFile_namesTheVariable() throws IOException {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    Map<String, String> env = env(ws);
    env.put("MESH_PROVIDERS_FILE", Files.writeString(tmp.resolve("p.json"), "[]").toString());
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESH_PROVIDERS_FILE: custom providers file ");
  }

  @Test
  void pricesFile_replacesTheShippedTable_andABadOneIsOneErrorNamingTheVariable()
      throws IOException {
    Path ws = GitRepos.init(tmp.resolve("ws"));
    assertThat(WorkerConfig.load(WorkerConfig.Flags.NONE, env(ws)).providers().prices())
        .isSameAs(PriceTable.defaults());

    Path mine = tmp.resolve("prices.json");
    Files.writeString(
        mine,
        "{\"as_of\": \"2026-12-01\", \"providers\": {\"ollama\": {\"*\":"
            + " {\"input\": 0.01, \"output\": 0.02}}}}");
    Map<String, String> env = env(ws);
    env.put("MESH_PRICES_FILE", mine.toString());
    PriceTable used = WorkerConfig.load(WorkerConfig.Flags.NONE, env).providers().prices();
    assertThat(used.source()).isEqualTo(mine.toString());
    assertThat(used.price("openai", "gpt-4.1")).isNull();

    Files.writeString(mine, "{\"as_of\": \"2026-12-01\", \"providers\": {\"ollama\": {\"*\": 0}}}");
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "MESH_PRICES_FILE: prices file "
                + mine
                + ", provider \"ollama\", model \"*\" must be an object {input, output[,"
                + " cached_input]}");
    Files.writeString(mine, "{\"as_of\": \"2026-12-01\", \"providers\": {\"codex\": {}}}");
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESH_PRICES_FILE: ")
        .hasMessageContaining("use \"openai\"");
    env.put("MESH_PRICES_FILE", tmp.resolve("missing.json").toString());
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESH_PRICES_FILE: cannot read prices file");
  }
}
