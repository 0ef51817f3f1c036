package dev.jetmesh.worker.provider.usage;

import static dev.jetmesh.worker.provider.usage.UsageAssert.nothingReported;
import static dev.jetmesh.worker.provider.usage.UsageAssert.runModelUsed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodexOutputTest {
  @Test
  void events_giveTheLastAgentMessage_andTheTurnUsage_butNoMoney() {
    Reading r = CodexOutput.read(Recorded.stdout("codex/success"));
    assertThat(r.text()).startsWith("Fixed `page_count` to round up");
    assertThat(r.reportedCostUsd()).isNull();
    runModelUsed(r, 18220L, 15360L, 947L);
  }

  @Test
  void firstReleaseOfTheFormat_itemTypeAndAssistantMessage_isRead() {
    Reading r = CodexOutput.read(Recorded.stdout("codex/first-json-format-0.44"));
    assertThat(r.text()).isEqualTo("Added a usage section to README.md.");
    runModelUsed(r, 6410L, 3072L, 233L);
  }

  @Test
  void linesThatAreNotEvents_areSkipped_andTheLastReadableUsageCounts() {
    Reading r = CodexOutput.read(Recorded.stdout("codex/malformed-lines"));
    assertThat(r.text()).isEqualTo("Final answer after the noise.");
    runModelUsed(r, 5120L, 1024L, 310L);
  }

  @Test
  void severalTurns_theLastUsageCounts_becauseCodexReportsRunningTotals() {
    Reading r = CodexOutput.read(Recorded.stdout("codex/multi-turn-cumulative"));
    assertThat(r.text()).isEqualTo("All tests pass now.");
    // Not 29000 / 1900: the second turn's usage already includes the first's.
    runModelUsed(r, 21000L, 7936L, 1400L);
  }

  @Test
  void failedTurn_hasNoUsage_andTheWholeOutputAsText() {
    String out = Recorded.stdout("codex/turn-failed");
    Reading r = CodexOutput.read(out);
    assertThat(r.text()).isEqualTo(out);
    nothingReported(r);
  }

  @Test
  void allZeroUsage_isUnknown_notFree() {
    Reading r = CodexOutput.read(Recorded.stdout("codex/zero-usage"));
    assertThat(r.text()).isEqualTo("Nothing to change.");
    nothingReported(r);
  }

  @Test
  void outputThatIsNoEventStream_isPlainText() {
    Reading r = CodexOutput.read("codex: unexpected argument '--json'\n");
    assertThat(r.text()).isEqualTo("codex: unexpected argument '--json'\n");
    nothingReported(r);
  }
}
