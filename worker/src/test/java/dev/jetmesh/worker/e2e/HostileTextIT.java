package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import dev.jetmesh.worker.testing.GitRepos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from submitters, metrics and LLMs that a shell would execute: quotes, {@code $(...)},
 * backticks, {@code ;}, {@code &&} and newlines. Each hostile text would create its own marker file
 * if anything ran it; none may exist afterwards, and the text must arrive intact.
 */
class HostileTextIT {
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

  /** Text that creates {@code <dir>/pwned-<where>} in five ways if a shell ever interprets it. */
  private static String hostile(Path dir, String where) {
    String m = dir.resolve("pwned-" + where).toString();
    return "it's \"quoted\" $(touch "
        + m
        + ") `touch "
        + m
        + "`; touch "
        + m
        + " && touch "
        + m
        + "\n$(touch "
        + m
        + ")'\"";
  }

  @Test
  void hostileTaskText_metricOutput_andLlmOutput_executeNothing_andTheTaskCompletes()
      throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    Path markers = tmp.resolve("markers");
    Files.createDirectories(markers);
    String title = hostile(markers, "title");
    String description = hostile(markers, "description");
    String criterion = hostile(markers, "criteria");
    String scope = hostile(markers, "scope");
    String metricText = hostile(markers, "metric-output");
    String llmText = hostile(markers, "llm-output");
    Path metricTextFile = tmp.resolve("metric-text");
    Files.writeString(metricTextFile, metricText);
    String base = box.head();

    mesh.submit(
        "hostile-1",
        Map.of(
            "title",
            title,
            "description",
            description,
            "success_criteria",
            List.of(criterion),
            "scope",
            List.of(scope),
            // The metric is a shell command by definition; its output is not.
            "metric",
            "cat '" + metricTextFile + "'; grep -qx attempt-2 result.txt"));
    Map<String, String> env = mesh.workerEnv("node-hostile", box, 3);
    env.put("FAKE_LLM_WRITE", "result.txt");
    env.put("FAKE_LLM_STDOUT", llmText);
    Path argsFile = tmp.resolve("args");
    env.put("FAKE_LLM_ARGS_FILE", argsFile.toString());

    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(60))).as(w.log()).isZero();
    }
    mesh.awaitStatus("hostile-1", "completed", Duration.ofSeconds(10));

    try (Stream<Path> made = Files.list(markers)) {
      assertThat(made).isEmpty();
    }
    // The retry prompt reached the CLI as one argument, with every text intact.
    List<String> args = List.of(Files.readString(argsFile, StandardCharsets.UTF_8).split("\0"));
    String prompt = args.get(args.indexOf("-p") + 1);
    assertThat(prompt)
        .startsWith("# Task: " + title + " (Attempt 2/3)\n")
        .contains(description.strip())
        .contains("- " + criterion + "\n")
        .contains("- " + scope + "\n")
        .contains(metricText.replace("\n", "\n  ").strip());

    JsonNode task = mesh.get("hostile-1");
    assertThat(task.get("title").asText()).isEqualTo(title);
    assertThat(task.path("result").path("merged").asBoolean()).isTrue();
    // The summary is the head of the LLM's output (200 characters), intact.
    String summary = task.path("result").path("summary").asText();
    assertThat(summary).startsWith("Metric passed on attempt 2. it's \"quoted\" $(touch ");
    assertThat("Metric passed on attempt 2. " + llmText.strip()).startsWith(summary);
    assertThat(
            mesh.rows("SELECT result FROM task_attempts WHERE task_id = 'hostile-1' ORDER BY seq"))
        .extracting(r -> (String) r.get("result"))
        .first()
        .asString()
        .contains(metricText.strip());
    assertThat(box.head()).isNotEqualTo(base);
    assertThat(GitRepos.git(box.workspace(), "log", "--format=%s", base + "..HEAD"))
        .contains("mesh(hostile-1): Metric passed on attempt 2. it's \"quoted\" $(touch ");
  }

  @Test
  void hostileIds_areRefused_beforeAnythingRuns() throws Exception {
    Sandbox box = E2eMesh.sandbox(tmp);
    Path marker = tmp.resolve("pwned-id");
    String evilId = "x$(touch " + marker + ")";
    assertThat(mesh.client().taskError("submit", Map.of("task_id", evilId, "title", "evil id")))
        .isNotBlank();

    Map<String, String> env = mesh.workerEnv("n$(touch " + marker + ")`id`", box, 1);
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"), "--once")) {
      assertThat(w.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(w.log().strip())
          .startsWith("jetmesh-worker: invalid node id")
          .doesNotContain("\n");
    }
    assertThat(marker).doesNotExist();
  }
}
