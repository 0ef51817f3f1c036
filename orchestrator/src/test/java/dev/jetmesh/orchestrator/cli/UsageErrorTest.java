package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.config.ClientSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What was typed or configured wrong is one line on standard error and exit code 2, whichever
 * command met it, and nothing is sent: the settings point at ports where nothing listens, so that a
 * command that went on would exit 3 instead.
 */
class UsageErrorTest {
  static final String MALFORMED = "nats://client:s3cret@127.0.0.1:notaport";

  static HelpTest.Run run(Map<String, String> env, String... args) {
    return HelpTest.run(ClientSettings.from(env), args);
  }

  static Map<String, String> nowhere() {
    return Map.of("MESH_NATS_URL", "nats://127.0.0.1:1", "MESH_API_URL", "http://127.0.0.1:1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan replay p1", "collab replay s1", "submit --title T", "cancel t1"})
  void aMalformedNatsUrl_isOneLine_withoutThePassword_exit2(String command) {
    HelpTest.Run r = run(Map.of("MESH_NATS_URL", MALFORMED), command.split(" "));
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "jetmesh: not a NATS URL (MESH_NATS_URL, --nats): nats://client:***@127.0.0.1:notaport\n");
  }

  @Test
  void anInvalidTaskId_isAUsageError_forSubmitAsForShow() {
    HelpTest.Run submit = run(nowhere(), "submit", "--title", "T", "--task-id", "bad.id");
    HelpTest.Run show = run(nowhere(), "show", "bad.id");
    assertThat(submit.exit()).as(submit.err()).isEqualTo(2);
    assertThat(show.exit()).isEqualTo(2);
    assertThat(submit.err())
        .isEqualTo(show.err())
        .isEqualTo(
            "jetmesh: Invalid task_id: must be 1-200 characters of A-Z, a-z, 0-9, '_' or '-'\n");
  }

  @Test
  void aLimitBelowOne_isAUsageError_beforeTheApiIsAsked() {
    HelpTest.Run r = run(nowhere(), "tasks", "--limit", "0");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("jetmesh: --limit must be at least 1: 0 (--all shows every one)\n");
    assertThat(run(nowhere(), "attempts", "--limit", "-1").exit()).isEqualTo(2);
    assertThat(run(nowhere(), "tasks", "--limit", "1").exit()).as("then it asks").isEqualTo(3);
  }

  @Test
  void anUnknownCommand_isOneLine_withASuggestion_notTheUsagePage() {
    HelpTest.Run r = run(Map.of(), "bogus");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("jetmesh: unknown command 'bogus' (see jetmesh --help)\n");
    assertThat(run(Map.of(), "sumbit").err())
        .isEqualTo(
            "jetmesh: unknown command 'sumbit', did you mean 'submit'? (see jetmesh --help)\n");
    assertThat(run(Map.of(), "plan", "bogus").err())
        .isEqualTo("jetmesh: unknown command 'bogus' (see jetmesh plan --help)\n");
  }

  @Test
  void anyCommandLineThatDoesNotParse_isOneLine_namingTheHelpToRead() {
    HelpTest.Run missing = run(Map.of(), "show");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("jetmesh: Missing required parameter: 'TASK_ID' (see jetmesh show --help)\n");
    HelpTest.Run option = run(Map.of(), "plan", "show", "p1", "--bogus");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err().lines()).hasSize(1);
    assertThat(option.err()).startsWith("jetmesh: Unknown option: '--bogus'");
    assertThat(option.err()).endsWith("(see jetmesh plan show --help)\n");
  }
}
