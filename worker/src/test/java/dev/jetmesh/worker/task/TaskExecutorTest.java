package dev.jetmesh.worker.task;

import static dev.jetmesh.worker.testing.GitRepos.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.model.OutputRef;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.git.Git;
import dev.jetmesh.worker.git.Worktrees;
import dev.jetmesh.worker.mesh.OutputSink;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.run.Backoff;
import dev.jetmesh.worker.run.RunSettings;
import dev.jetmesh.worker.run.StopReason;
import dev.jetmesh.worker.run.TaskControl;
import dev.jetmesh.worker.testing.FakeLlm;
import dev.jetmesh.worker.testing.GitRepos;
import dev.jetmesh.worker.testing.RecordingCommands;
import dev.jetmesh.worker.testing.Tasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attempt loop end to end with real git, real processes and the fake LLM script. */
class TaskExecutorTest {
  private static final String NODE = "node-a";

  @TempDir Path tmp;
  private Path ws;
  private Path fake;
  private final Map<String, String> env = new HashMap<>();
  private final RecordingCommands commands = new RecordingCommands();
  private final Map<String, byte[]> stored = new ConcurrentHashMap<>();

  private final OutputSink sink =
      (name, file) -> {
        try {
          byte[] bytes = Files.readAllBytes(file);
          stored.put(name, bytes);
          String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
          return Optional.of(new OutputRef("MESH_OUTPUTS", name, bytes.length, sha));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      };

  @BeforeEach
  void setUp() throws IOException {
    ws = GitRepos.init(tmp.resolve("ws"));
    fake = FakeLlm.install(Files.createDirectories(tmp.resolve("bin")));
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", tmp.toString());
    env.put("CLAUDE_PATH", fake.toString());
    env.put("CLAUDECODE", "1");
  }

  private TaskExecutor executor(int maxAttempts) throws IOException {
    RunSettings s =
        new RunSettings(
            NODE,
            maxAttempts,
            Duration.ofMillis(100),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(10)),
            Duration.ofSeconds(20),
            null,
            null,
            null,
            env,
            Files.createDirectories(tmp.resolve("scratch")),
            Clock.systemUTC());
    Git g = new Git(env, Duration.ofMinutes(1));
    return new TaskExecutor(
        s,
        ProviderRegistry.builtIns(env),
        commands,
        sink,
        new Worktrees(g, ws, tmp.resolve("trees")));
  }

  private static Task task(String id, String description, String metric, String provider) {
    return Tasks.claimed(id, "Title of " + id, description, metric, provider, 30, NODE);
  }

  private List<TaskRequests.RecordAttempt> attempts() {
    return commands.of(TaskRequests.RecordAttempt.class);
  }

  @Test
  void metricPassingOnTheSecondAttempt_completesAndMerges_afterRevertingTheFirst()
      throws IOException {
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put("FAKE_LLM_MARK", "1");
    env.put("FAKE_LLM_JSON", "1");
    Task t = task("T-pass2", "make result say attempt-2", "grep -q attempt-2 result.txt", "claude");

    executor(3).execute(t, new TaskControl(t.taskId(), 42L));

    // started once, and asked again before the second attempt
    assertThat(commands.of(TaskRequests.Ref.class))
        .containsExactly(
            new TaskRequests.Ref("T-pass2", NODE, 42L), new TaskRequests.Ref("T-pass2", NODE, 42L));
    List<TaskRequests.RecordAttempt> a = attempts();
    assertThat(a).hasSize(2);
    assertThat(a.get(0).approach()).isEqualTo("Attempt 1: metric failed");
    assertThat(a.get(0).keep()).isFalse();
    assertThat(a.get(0).exitCode()).isZero();
    assertThat(a.get(0).metricPassed()).isFalse();
    assertThat(a.get(1).approach()).isEqualTo("Attempt 2: metric passed");
    assertThat(a.get(1).keep()).isTrue();
    assertThat(a.get(1).metricPassed()).isTrue();
    for (TaskRequests.RecordAttempt r : a) {
      assertThat(r.nodeId()).isEqualTo(NODE);
      assertThat(r.claimToken()).isEqualTo(42L);
      assertThat(r.provider()).isEqualTo("claude");
      assertThat(r.model()).isEqualTo("sonnet");
      assertThat(r.durationMs()).isNotNull().isNotNegative();
      assertThat(r.costUsd()).isEqualByComparingTo("0.0125");
      assertThat(r.tokens().get("input").asInt()).isEqualTo(10);
      OutputRef out = r.output();
      assertThat(out.bucket()).isEqualTo("MESH_OUTPUTS");
      assertThat(out.name()).startsWith("T-pass2/c42-" + r.attempt() + "-" + NODE);
      assertThat(out.sha256()).matches("[0-9a-f]{64}");
      assertThat(stored.get(out.name())).hasSize((int) out.size());
    }
    String transcript = new String(stored.get(a.get(0).output().name()), "UTF-8");
    assertThat(transcript).contains("# Task: Title of T-pass2").contains("===== metric");

    TaskRequests.Complete c = commands.of(TaskRequests.Complete.class).get(0);
    assertThat(c.nodeId()).isEqualTo(NODE);
    assertThat(c.claimToken()).isEqualTo(42L);
    JsonNode result = c.result();
    assertThat(result.get("success").asBoolean()).isTrue();
    assertThat(result.get("merged").asBoolean()).isTrue();
    assertThat(result.get("summary").asText())
        .isEqualTo("Metric passed on attempt 2. done attempt 2");
    assertThat(result.get("cost").decimalValue()).isEqualByComparingTo("0.025");
    assertThat(result.get("artifacts").toString()).contains("result.txt", "only-attempt-2.txt");
    assertThat(result.get("sha").asText()).isEqualTo(git(ws, "rev-parse", "HEAD^2"));

    assertThat(ws.resolve("result.txt")).hasContent("attempt-2");
    assertThat(ws.resolve("only-attempt-2.txt")).exists();
    assertThat(ws.resolve("only-attempt-1.txt")).doesNotExist();
    assertThat(GitRepos.hasBranch(ws, "mesh/T-pass2")).isFalse();
    assertThat(tmp.resolve("trees/T-pass2")).doesNotExist();
    assertThat(commands.of(RecordingCommands.Released.class)).isEmpty();
  }

  @Test
  void neverPassing_isReleasedAfterMaxAttempts_mergesNothing_andKeepsTheBranch()
      throws IOException {
    env.put("FAKE_LLM_WRITE", "result.txt");
    Task t = task("T-never", "try", "echo 'still broken'; false", "claude");

    executor(3).execute(t, new TaskControl(t.taskId(), 42L));

    assertThat(attempts())
        .extracting(TaskRequests.RecordAttempt::approach)
        .containsExactly(
            "Attempt 1: metric failed", "Attempt 2: metric failed", "Attempt 3: metric failed");
    TaskRequests.Fail release = commands.of(RecordingCommands.Released.class).get(0).request();
    assertThat(release.reason()).isEqualTo("Exhausted 3/3 attempts. Last: still broken");
    assertThat(release.nodeId()).isEqualTo(NODE);
    assertThat(release.claimToken()).isEqualTo(42L);
    assertThat(commands.of(TaskRequests.Complete.class)).isEmpty();
    assertThat(ws.resolve("result.txt")).doesNotExist();
    assertThat(git(ws, "log", "--oneline")).hasLineCount(1);
    assertThat(GitRepos.hasBranch(ws, "mesh/T-never")).isTrue();
    assertThat(git(ws, "show", "mesh/T-never:result.txt")).isEqualTo("attempt-3");
  }

  @Test
  void providerErrors_reportExitCodeAndStderr_andBackOff() throws IOException {
    env.put("FAKE_LLM_FAIL_ATTEMPTS", "1 2");
    Task t = task("T-exit", "d", null, "claude");

    executor(3).execute(t, new TaskControl(t.taskId(), 42L));

    List<TaskRequests.RecordAttempt> a = attempts();
    assertThat(a).hasSize(3);
    assertThat(a.get(0).approach()).isEqualTo("Attempt 1: claude exited with error (code 3)");
    assertThat(a.get(0).result()).contains("fake failure on attempt 1");
    assertThat(a.get(0).exitCode()).isEqualTo(3);
    assertThat(a.get(0).metricPassed()).isNull();
    assertThat(a.get(2).approach()).isEqualTo("Attempt 3: executed without metric");
    assertThat(a.get(2).keep()).isTrue();
    TaskRequests.Complete c = commands.of(TaskRequests.Complete.class).get(0);
    assertThat(c.result().get("merged").asBoolean()).isFalse();
    assertThat(c.result().get("sha").isNull()).isTrue();
  }

  @Test
  void hostileTaskText_andLlmOutput_executeNothing() throws IOException {
    Path marker1 = Path.of("/tmp/pwned-" + UUID.randomUUID());
    Path marker2 = Path.of("/tmp/pwned-" + UUID.randomUUID());
    String hostile =
        "it's \"quoted\" $(touch " + marker1 + ") `touch " + marker1 + "`\n; touch " + marker1;
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put(
        "FAKE_LLM_STDOUT",
        "done $(touch " + marker2 + ") `touch " + marker2 + "` \"q\" 'q'\n; touch " + marker2);
    Task base = task("T-hostile", hostile, null, "claude");
    Task t =
        new Task(
            base.taskId(),
            hostile,
            hostile,
            30,
            null,
            null,
            List.of(hostile),
            List.of(hostile),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            0,
            "claude",
            hostile,
            null,
            null,
            null,
            null,
            dev.jetmesh.schema.model.TaskStatus.CLAIMED,
            base.createdAt(),
            List.of(),
            null,
            NODE,
            base.claimedAt(),
            null,
            null,
            base.budgetDeadline(),
            null,
            null,
            42L,
            1L);
    env.put("FAKE_LLM_ARGS_FILE", tmp.resolve("args").toString());

    executor(1).execute(t, new TaskControl(t.taskId(), 42L));

    assertThat(marker1).doesNotExist();
    assertThat(marker2).doesNotExist();
    String[] args = Files.readString(tmp.resolve("args")).split("\0");
    // the task's model is hostile too: it reaches the CLI verbatim, as one argument
    assertThat(List.of(args)).containsSubsequence("--model", hostile);
    assertThat(args[1]).startsWith("# Task: it's \"quoted\" $(touch ");
    assertThat(commands.of(TaskRequests.Complete.class)).hasSize(1);
    String subject = git(ws, "log", "-1", "--format=%B", "HEAD^2");
    assertThat(subject).startsWith("mesh(T-hostile): done $(touch ");
  }

  @Test
  void shellProvider_runsTheDescriptionInTheWorktree() throws IOException {
    Task t = task("T-shell", "echo shell-was-here > out.txt; pwd > where.txt", null, "shell");

    executor(3).execute(t, new TaskControl(t.taskId(), 42L));

    assertThat(ws.resolve("out.txt")).hasContent("shell-was-here");
    assertThat(Files.readString(ws.resolve("where.txt")).strip())
        .isEqualTo(tmp.resolve("trees/T-shell").toString());
    assertThat(attempts().get(0).provider()).isEqualTo("shell");
    assertThat(attempts().get(0).model()).isNull();
  }

  @Test
  void stallNotice_killsTheRun_andNothingMoreIsReported() throws Exception {
    Path pid = tmp.resolve("pid");
    env.put("FAKE_LLM_SLEEP", "60");
    env.put("FAKE_LLM_PID_FILE", pid.toString());
    Task t = task("T-stall", "d", null, "claude");
    TaskControl control = new TaskControl(t.taskId(), 42L);
    TaskExecutor ex = executor(3);
    Thread run = Thread.ofVirtual().start(() -> ex.execute(t, control));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pid) && Files.size(pid) > 0);
    long child = Long.parseLong(Files.readString(pid).strip());

    control.stop(StopReason.STALL);

    assertThat(run.join(Duration.ofSeconds(10))).isTrue();
    // SIGKILL was sent; the kernel reaps the process a moment later.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    assertThat(attempts()).isEmpty();
    assertThat(commands.of(TaskRequests.Complete.class)).isEmpty();
    assertThat(commands.of(RecordingCommands.Released.class)).isEmpty();
    assertThat(commands.of(RecordingCommands.Failed.class)).isEmpty();
  }

  @Test
  void shutdown_releasesTheTask() throws Exception {
    Path pid = tmp.resolve("pid");
    env.put("FAKE_LLM_SLEEP", "60");
    env.put("FAKE_LLM_PID_FILE", pid.toString());
    Task t = task("T-term", "d", null, "claude");
    TaskControl control = new TaskControl(t.taskId(), 42L);
    TaskExecutor ex = executor(3);
    Thread run = Thread.ofVirtual().start(() -> ex.execute(t, control));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pid) && Files.size(pid) > 0);

    control.stop(StopReason.SHUTDOWN);

    assertThat(run.join(Duration.ofSeconds(10))).isTrue();
    TaskRequests.Fail r = commands.of(RecordingCommands.Released.class).get(0).request();
    assertThat(r.reason()).isEqualTo("worker shutting down");
    assertThat(r.claimToken()).isEqualTo(42L);
    assertThat(attempts()).isEmpty();
  }

  @Test
  void refusedHeartbeat_meansTheClaimIsLost_andStopsTheRun() throws Exception {
    env.put("FAKE_LLM_SLEEP", "60");
    commands.refuseHeartbeats = true;
    Task t = task("T-lost", "d", null, "claude");
    TaskControl control = new TaskControl(t.taskId(), 42L);

    executor(3).execute(t, control);

    assertThat(control.stopReason()).contains(StopReason.LOST_CLAIM);
    assertThat(attempts()).isEmpty();
    assertThat(commands.of(RecordingCommands.Released.class)).isEmpty();
  }

  @Test
  void budgetRunningOut_killsTheRun_andFailsWithTheBudgetReason() throws IOException {
    env.put("FAKE_LLM_SLEEP", "60");
    Task.Mutable m = task("T-budget", "d", null, "claude").toMutable();
    m.budgetDeadline = Instant.now().plusSeconds(2);
    Task t = m.build();
    long start = System.nanoTime();

    executor(3).execute(t, new TaskControl(t.taskId(), 42L));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(attempts()).hasSize(1);
    assertThat(attempts().get(0).approach())
        .isEqualTo("Attempt 1: claude was killed: the task's budget ran out");
    TaskRequests.Fail f = commands.of(RecordingCommands.Failed.class).get(0).request();
    assertThat(f.reason()).startsWith("Budget exceeded: ").endsWith("m elapsed, 30m budget");
  }

  @Test
  void budgetExceededRefusal_ofTheNextAttempt_stopsTheRun_andReportsNothingMore()
      throws IOException {
    env.put("FAKE_LLM_JSON", "1");
    commands.refuseNextStarts = dev.jetmesh.schema.ErrorCode.BUDGET_EXCEEDED;
    Task t = task("T-money", "d", "false", "claude");
    TaskControl control = new TaskControl(t.taskId(), 42L);

    executor(3).execute(t, control);

    assertThat(attempts()).hasSize(1);
    assertThat(attempts().get(0).costUsd()).isEqualByComparingTo("0.0125");
    assertThat(commands.of(TaskRequests.Ref.class)).hasSize(2);
    assertThat(control.stopReason()).contains(StopReason.BUDGET_EXCEEDED);
    assertThat(commands.of(RecordingCommands.Failed.class)).isEmpty();
    assertThat(commands.of(RecordingCommands.Released.class)).isEmpty();
    assertThat(commands.of(TaskRequests.Complete.class)).isEmpty();
  }

  @Test
  void anotherRefusal_ofTheNextAttempt_stopsTheRun_asALostClaim() throws IOException {
    commands.refuseNextStarts = dev.jetmesh.schema.ErrorCode.STALE_TOKEN;
    Task t = task("T-lost", "d", "false", "claude");
    TaskControl control = new TaskControl(t.taskId(), 42L);

    executor(3).execute(t, control);

    assertThat(attempts()).hasSize(1);
    assertThat(control.stopReason()).contains(StopReason.LOST_CLAIM);
    assertThat(commands.of(RecordingCommands.Released.class)).isEmpty();
  }

  @Test
  void scores_areReportedPerAttempt_theThresholdDecides_andRetriesSeeTheTrend() throws IOException {
    env.put("FAKE_LLM_WRITE", "result.txt");
    Path prompts = tmp.resolve("prompts.log");
    env.put("FAKE_LLM_PROMPT_LOG", prompts.toString());
    // attempt n scores 10 * n; the exit code (always 1) does not count once there is a threshold
    Task t =
        Tasks.withScoreTarget(
            task(
                "T-score",
                "raise the score",
                "echo \"score $(( $(sed 's/attempt-//' result.txt) * 10 ))\"; exit 1",
                "claude"),
            new java.math.BigDecimal("25"),
            dev.jetmesh.schema.model.MetricDirection.HIGHER);

    executor(5).execute(t, new TaskControl(t.taskId(), 42L));

    List<TaskRequests.RecordAttempt> a = attempts();
    assertThat(a)
        .extracting(TaskRequests.RecordAttempt::metricScore)
        .usingElementComparator(java.math.BigDecimal::compareTo)
        .containsExactly(
            new java.math.BigDecimal("10"),
            new java.math.BigDecimal("20"),
            new java.math.BigDecimal("30"));
    assertThat(a)
        .extracting(TaskRequests.RecordAttempt::metricPassed)
        .containsExactly(false, false, true);
    assertThat(a.get(0).result()).startsWith("score 10 does not meet the threshold 25");
    assertThat(commands.of(TaskRequests.Complete.class)).hasSize(1);
    String[] logged = Files.readString(prompts).split("\n=====\n");
    assertThat(logged).hasSize(3);
    assertThat(logged[0]).doesNotContain("## Metric Scores");
    assertThat(logged[1]).contains("## Metric Scores").contains("\n10\n").doesNotContain("Trend");
    assertThat(logged[2]).contains("10 -> 20\nTrend: improving (10 -> 20).");
  }

  @Test
  void unknownProvider_failsTheTask() throws IOException {
    Task t = task("T-unknown", "d", null, "gpt-9");
    executor(3).execute(t, new TaskControl(t.taskId(), 42L));
    TaskRequests.Fail f = commands.of(RecordingCommands.Failed.class).get(0).request();
    assertThat(f.reason()).contains("Unknown LLM provider \"gpt-9\"");
    assertThat(commands.of(TaskRequests.Ref.class)).isEmpty();
  }

  @Test
  void claudeEnvironmentVariables_areStrippedFromTheChild() throws IOException {
    Task t = task("T-env", "printenv > env.txt", null, "shell");
    executor(1).execute(t, new TaskControl(t.taskId(), 42L));
    // shell strips nothing: CLAUDECODE reaches it; claude's own run is checked below
    assertThat(Files.readString(ws.resolve("env.txt"))).contains("CLAUDECODE=1");
    assertThat(
            dev.jetmesh.worker.process.ChildEnvironment.without(
                env, ProviderRegistry.builtIns(env).get("claude").envStrip()))
        .doesNotContainKey("CLAUDECODE");
  }

  @Test
  void commitMessage_isOneLineOfAtMost72Characters() {
    Task t = task("T-1", "d", null, null);
    assertThat(TaskCompletion.commitMessage(t, "a\nb  c " + "x".repeat(100)))
        .isEqualTo("mesh(T-1): a b c " + "x".repeat(66));
    assertThat(TaskCompletion.commitMessage(t, "  ")).isEqualTo("mesh(T-1): Title of T-1");
  }
}
