package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.Json;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell provider, a custom provider from a JSON file, the {@code codex} alias with its tokens
 * and priced cost reaching the read model, and {@code --dry-run}, end to end.
 */
class ProvidersIT {
  private static E2eMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void startMesh() {
    mesh = E2eMesh.start(Map.of());
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @AfterEach
  void cleanUp() {
    mesh.cancelUnfinished();
  }

  @Test
  void shellProvider_runsTheDescriptionWithBash_insideTheTaskWorktree() {
    Sandbox box = E2eMesh.sandbox(tmp);
    mesh.submit(
        "shell-1",
        Map.of(
            "title", "Shell task",
            "llm_provider", "shell",
            "description", "pwd > where.txt && printf 'made by %s\\n' \"$0\" > shell.txt",
            "metric", "test -s shell.txt"));
    Map<String, String> env = mesh.workerEnv("node-shell", box, 1);

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
    }
    mesh.awaitStatus("shell-1", "completed", Duration.ofSeconds(10));

    assertThat(box.atHead("where.txt")).isEqualTo(box.worktrees().resolve("shell-1").toString());
    assertThat(box.atHead("shell.txt")).isEqualTo("made by /bin/bash");
    assertThat(
            mesh.rows(
                "SELECT provider, exit_code, metric_passed FROM task_attempts WHERE task_id = ?",
                "shell-1"))
        .containsExactly(Map.of("provider", "shell", "exit_code", 0, "metric_passed", true));
  }

  @Test
  void customProviderFromJsonFile_getsItsArgumentVector_andLosesTheStrippedVariables()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    Path providers = tmp.resolve("providers.json");
    Files.writeString(
        providers,
        """
        {"fakecli": {"binary": "%s", "defaultModel": "fake-model-1", "promptFlag": "--ask",
                     "modelFlag": "-m", "cwdFlag": "--dir", "extraArgs": ["--yes", "--quiet"],
                     "envStrip": ["FAKE_SECRET"]}}
        """
            .formatted(box.fakeLlm()));
    mesh.submit(
        "custom-1",
        Map.of(
            "title", "Custom provider task",
            "llm_provider", "fakecli",
            "metric", "grep -qx attempt-1 out.txt"));
    Map<String, String> env = mesh.workerEnv("node-custom", box, 1);
    env.put("MESH_PROVIDERS_FILE", providers.toString());
    env.put("FAKE_SECRET", "do-not-leak");
    env.put("FAKE_LLM_WRITE", "out.txt");
    Path argsFile = tmp.resolve("args");
    Path envFile = tmp.resolve("env");
    env.put("FAKE_LLM_ARGS_FILE", argsFile.toString());
    env.put("FAKE_LLM_ENV_FILE", envFile.toString());

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
    }
    mesh.awaitStatus("custom-1", "completed", Duration.ofSeconds(10));

    List<String> args = nulSeparated(argsFile);
    Path worktree = box.worktrees().resolve("custom-1");
    assertThat(args).hasSize(8);
    assertThat(args.subList(0, 3)).containsExactly("--yes", "--quiet", "--ask");
    assertThat(args.get(3)).startsWith("# Task: Custom provider task\n");
    assertThat(args.subList(4, 8))
        .containsExactly("-m", "fake-model-1", "--dir", worktree.toString());
    List<String> childEnv = nulSeparated(envFile);
    assertThat(childEnv).noneMatch(v -> v.startsWith("FAKE_SECRET="));
    assertThat(childEnv).contains("FAKE_LLM_WRITE=out.txt");
    assertThat(
            mesh.rows(
                "SELECT provider, model, exit_code FROM task_attempts WHERE task_id = ?",
                "custom-1"))
        .containsExactly(Map.of("provider", "fakecli", "model", "fake-model-1", "exit_code", 0));
    assertThat(box.atHead("out.txt")).isEqualTo("attempt-1");
  }

  @Test
  void codexAlias_runsTheOpenaiProvider_andRecordsItsTokensAndPricedCost() throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    // A stand-in for the Codex CLI that prints a recorded `codex exec --json` run.
    Path recorded =
        Path.of(ProvidersIT.class.getResource("/provider-output/codex/success.stdout.txt").toURI());
    Path fakeCodex = tmp.resolve("codex");
    Files.writeString(
        fakeCodex,
        "#!/bin/bash\nprintf '%s\\0' \"$@\" > \"$FAKE_CODEX_ARGS\"\ncat \"$FAKE_CODEX_OUTPUT\"\n");
    assertThat(fakeCodex.toFile().setExecutable(true)).isTrue();
    mesh.submit(
        "codex-1", Map.of("title", "Codex task", "llm_provider", "codex", "llm_model", "gpt-4.1"));
    Map<String, String> env = mesh.workerEnv("node-codex", box, 1);
    env.put("CODEX_PATH", fakeCodex.toString());
    env.put("FAKE_CODEX_ARGS", tmp.resolve("codex-args").toString());
    env.put("FAKE_CODEX_OUTPUT", recorded.toString());

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
    }
    mesh.awaitStatus("codex-1", "completed", Duration.ofSeconds(10));

    List<String> args = nulSeparated(tmp.resolve("codex-args"));
    assertThat(args.subList(0, 4))
        .containsExactly("exec", "--json", "--sandbox", "workspace-write");
    assertThat(args.subList(args.size() - 2, args.size())).containsExactly("--model", "gpt-4.1");
    List<Map<String, Object>> rows =
        mesh.rows(
            "SELECT provider, model, cost_usd, tokens FROM task_attempts WHERE task_id = ?",
            "codex-1");
    assertThat(rows).hasSize(1);
    Map<String, Object> attempt = rows.get(0);
    assertThat(attempt.get("provider")).isEqualTo("openai");
    assertThat(attempt.get("model")).isEqualTo("gpt-4.1");
    // 2,860 uncached x $2.00 + 15,360 cached x $0.50 + 947 output x $8.00, per million.
    assertThat((BigDecimal) attempt.get("cost_usd")).isEqualByComparingTo("0.020976");
    assertThat(attempt.get("tokens"))
        .isEqualTo(
            Json.mapper()
                .readTree(
                    "{\"input\":18220,\"cached_input\":15360,\"output\":947,\"total\":19167}"));
  }

  @Test
  void dryRun_printsThePrompt_leavesTheTaskQueued_andAppendsNothing() {
    Sandbox box = E2eMesh.sandbox(tmp);
    mesh.submit(
        "dry-1",
        Map.of(
            "title", "Only look at me",
            "description", "Explain the plan.",
            "success_criteria", List.of("it is explained"),
            "metric", "test -f plan.md"));
    Map<String, String> env = mesh.workerEnv("node-dry", box, 3);
    env.put("FAKE_LLM_WRITE", "plan.md");
    String out;
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--dry-run")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
      out = w.stdout();
    }

    assertThat(out)
        .contains("Dry run on node node-dry: task dry-1 (not claimed, nothing run)")
        .contains("Provider: claude")
        .contains("# Task: Only look at me\n\nExplain the plan.\n")
        .contains("- it is explained\n")
        .contains("    test -f plan.md\n");
    assertThat(mesh.status("dry-1")).isEqualTo("queued");
    assertThat(mesh.eventTypes("dry-1")).containsExactly("task.submitted");
    assertThat(mesh.rows("SELECT 1 FROM task_liveness WHERE task_id = 'dry-1'")).isEmpty();
    assertThat(box.worktrees()).isEmptyDirectory();
  }

  private static List<String> nulSeparated(Path file) throws Exception {
    String s = Files.readString(file, StandardCharsets.UTF_8);
    return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
  }
}
