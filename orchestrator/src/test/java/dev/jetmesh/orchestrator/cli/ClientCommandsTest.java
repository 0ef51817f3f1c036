package dev.jetmesh.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code jetmesh submit} sends, built from its options without a mesh. */
class ClientCommandsTest {
  @Test
  void submit_sendsTheScoreTarget_andTheMoneyBudget_exactly() {
    ClientCommands.Submit s = new ClientCommands.Submit();
    new CommandLine(s)
        .parseArgs(
            "--task-id",
            "t1",
            "--title",
            "T",
            "--metric",
            "./score.sh",
            "--metric-threshold",
            "0.9",
            "--metric-direction",
            "lower",
            "--budget-usd",
            "0.10");
    ObjectNode b = s.body();
    assertThat(b.path("metric_threshold").decimalValue()).isEqualByComparingTo("0.9");
    assertThat(b.path("metric_direction").asText()).isEqualTo("lower");
    assertThat(b.path("budget_usd").toString()).isEqualTo("0.10");
  }

  @Test
  void submit_withoutThem_sendsNone() {
    ClientCommands.Submit s = new ClientCommands.Submit();
    new CommandLine(s).parseArgs("--task-id", "t1", "--title", "T");
    ObjectNode b = s.body();
    assertThat(b.has("metric_threshold")).isFalse();
    assertThat(b.has("metric_direction")).isFalse();
    assertThat(b.has("budget_usd")).isFalse();
  }
}
