package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.model.CollabSpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What {@code submit} and {@code collab start} send, built from options and files, without a mesh.
 */
class TaskOptionsTest {
  private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

  static ObjectNode body(boolean collab, InputStream stdin, String... args) {
    TaskOptions o = new TaskOptions();
    new CommandLine(o).parseArgs(args);
    return o.body(stdin, collab);
  }

  static ObjectNode body(String... args) {
    return body(false, NO_STDIN, args);
  }

  @Test
  void options_becomeTheWireFields_exactly() {
    ObjectNode b =
        body(
            "--task-id",
            "t1",
            "--title",
            "T",
            "-d",
            "echo hi",
            "--metric",
            "./score.sh",
            "--metric-threshold",
            "0.9",
            "--metric-direction",
            "lower",
            "--budget-usd",
            "0.10",
            "--budget-minutes",
            "5",
            "--priority",
            "3",
            "--provider",
            "shell",
            "--model",
            "m1",
            "--scope",
            "src/a,src/b",
            "--scope",
            "docs",
            "--success",
            "tests pass, all of them",
            "--depends-on",
            "t0",
            "--tag",
            "docs,cli",
            "--prefer-node",
            "n1",
            "--exclude-node",
            "n2",
            "--on-fail",
            "stop");
    assertThat(b.toString())
        .isEqualTo(
            "{\"task_id\":\"t1\",\"title\":\"T\",\"description\":\"echo hi\",\"metric\":\"./score.sh\","
                + "\"metric_threshold\":0.9,\"metric_direction\":\"lower\",\"budget_minutes\":5,"
                + "\"budget_usd\":0.10,\"priority\":3,\"llm_provider\":\"shell\",\"llm_model\":\"m1\","
                + "\"on_fail\":\"stop\",\"scope\":[\"src/a\",\"src/b\",\"docs\"],"
                + "\"success_criteria\":[\"tests pass, all of them\"],\"depends_on\":[\"t0\"],"
                + "\"tags\":[\"docs\",\"cli\"],\"preferred_nodes\":[\"n1\"],\"exclude_nodes\":[\"n2\"]}");
  }

  @Test
  void withoutOptionalOptions_sendsOnlyTheIdAndTitle() {
    assertThat(body("--task-id", "t1", "--title", "T").toString())
        .isEqualTo("{\"task_id\":\"t1\",\"title\":\"T\"}");
  }

  @Test
  void collaborationOptions_buildTheSpec_thatTheSchemaAccepts() {
    ObjectNode b =
        body(
            "--title",
            "T",
            "--collab",
            "review",
            "--nodes",
            "3",
            "--max-nodes",
            "4",
            "--join-window",
            "10",
            "--max-rounds",
            "2",
            "--convergence",
            "majority",
            "--convergence-threshold",
            "0.5",
            "--min-quorum",
            "2",
            "--scope-strategy",
            "leader_only",
            "--round-timeout",
            "600");
    assertThat(b.path("collaboration").toString())
        .isEqualTo(
            "{\"mode\":\"review\",\"min_nodes\":3,\"max_nodes\":4,\"join_window_s\":10,"
                + "\"max_rounds\":2,\"scope_strategy\":\"leader_only\",\"round_timeout_s\":600,"
                + "\"convergence\":{\"type\":\"majority\",\"threshold\":0.5,\"min_quorum\":2}}");
    CollabSpec spec = CollabSpec.parse(b.get("collaboration"));
    assertThat(spec.minNodes()).isEqualTo(3);
    assertThat(spec.convergence().threshold()).isEqualTo(0.5);
  }

  @Test
  void collabStart_alwaysSendsACollaboration_evenWithoutOptions() {
    ObjectNode b = body(true, NO_STDIN, "--title", "T");
    assertThat(b.path("collaboration").toString()).isEqualTo("{}");
    assertThat(body("--title", "T").has("collaboration")).isFalse();
  }

  @Test
  void aYamlFile_isTheBody_andOptionsReplaceItsFields_evenInsideTheCollaboration(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("task.yaml");
    Files.writeString(
        f,
        """
        task_id: from-file
        title: From a file
        budget_usd: 0.25
        tags: [a, b]
        collaboration:
          mode: parallel
          min_nodes: 2
          convergence: {type: unanimous}
        """);
    ObjectNode b = body("-f", f.toString(), "--title", "Overridden", "--max-rounds", "3");
    assertThat(b.toString())
        .isEqualTo(
            "{\"task_id\":\"from-file\",\"title\":\"Overridden\",\"budget_usd\":0.25,"
                + "\"tags\":[\"a\",\"b\"],\"collaboration\":{\"mode\":\"parallel\","
                + "\"min_nodes\":2,\"convergence\":{\"type\":\"unanimous\"},\"max_rounds\":3}}");
  }

  @Test
  void aJsonFile_andStdin_areRead(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("task.json");
    Files.writeString(f, "{\"task_id\":\"j1\",\"title\":\"J\",\"priority\":2}");
    assertThat(body("-f", f.toString()).path("priority").asInt()).isEqualTo(2);
    InputStream in = new ByteArrayInputStream("title: piped\n".getBytes(StandardCharsets.UTF_8));
    assertThat(body(false, in, "-f", "-").path("title").asText()).isEqualTo("piped");
  }

  @Test
  void aFileThatCannotBeUsed_isAUsageError_sayingWhy(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"title\": ");
    assertThatThrownBy(() -> body("-f", bad.toString()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            bad
                + " is not valid JSON: Unexpected end-of-input within/between Object entries"
                + " (line 1)");
    Path unclosed = dir.resolve("unclosed.json");
    Files.writeString(unclosed, "{\"task_id\": \"j1\", \"title\": \"t\"\n");
    assertThatThrownBy(() -> body("-f", unclosed.toString()))
        .hasMessage(
            unclosed
                + " is not valid JSON: Unexpected end-of-input: expected close marker for Object"
                + " (line 2)");
    InputStream broken = new ByteArrayInputStream("{bad".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> body(false, broken, "-f", "-"))
        .hasMessage(
            "standard input is not valid YAML or JSON: while parsing a flow mapping: expected ','"
                + " or '}', but got <stream end> (line 1)");
    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- a\n- b\n");
    assertThatThrownBy(() -> body("-f", list.toString()))
        .hasMessage(list + " must hold one object (field: value, ...)");
    assertThatThrownBy(() -> body("-f", dir.resolve("none.yaml").toString()))
        .hasMessage("no such file: " + dir.resolve("none.yaml"));
  }

  @Test
  void noTitle_isRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> body("--task-id", "t1"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("a title is required: --title, or title in the file");
  }

  @Test
  void noTaskId_generatesAReadableValidOne() {
    String id = body("--title", "Say Hello, World!").path("task_id").asText();
    assertThat(id).matches("say-hello-world-[0-9a-z]+");
    assertThat(TaskOptions.generatedId("!!!")).startsWith("task-");
    assertThat(TaskOptions.generatedId("x".repeat(100)).length()).isLessThan(60);
  }

  @Test
  void anInvalidTaskId_fromAnOptionOrAFile_isRefusedBeforeAnythingIsSent(@TempDir Path dir)
      throws Exception {
    assertThatThrownBy(() -> body("--title", "T", "--task-id", "bad.id"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid task_id: must be 1-200 characters of A-Z, a-z, 0-9, '_' or '-'");
    Path f = dir.resolve("task.yaml");
    Files.writeString(f, "task_id: has space\ntitle: T\n");
    assertThatThrownBy(() -> body("-f", f.toString()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("Invalid task_id");
    assertThat(body("-f", f.toString(), "--task-id", "fixed").path("task_id").asText())
        .isEqualTo("fixed");
  }
}
