package dev.jetmesh.worker.provider.usage;

import static dev.jetmesh.worker.provider.usage.UsageAssert.nothingReported;
import static dev.jetmesh.worker.provider.usage.UsageAssert.runModelUsed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaudeOutputTest {
  @Test
  void jsonResult_givesText_reportedCost_andTokensWithTheCacheCountedAsInput() {
    Reading r = ClaudeOutput.read(Recorded.stdout("claude/json-success"));
    assertThat(r.text()).startsWith("Added the `greet` function").endsWith("(3 passed).");
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.0516279");
    // 9 uncached + 4172 written to the cache + 18338 read from it.
    runModelUsed(r, 22519L, 18338L, 612L);
    assertThat(r.totalTokens().total()).isEqualTo(23131L);
  }

  @Test
  void conversationArray_usesItsLastResult_notTheAssistantMessages() {
    Reading r = ClaudeOutput.read(Recorded.stdout("claude/json-verbose-array"));
    assertThat(r.text()).isEqualTo("Fixed the off-by-one in pager.py.");
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.0231");
    runModelUsed(r, 32672L, 30450L, 401L);
  }

  @Test
  void streamJson_readsTheResultLine_andIgnoresPerMessageUsage() {
    Reading r = ClaudeOutput.read(Recorded.stdout("claude/stream-json"));
    assertThat(r.text()).isEqualTo("Tests pass.");
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.0118");
    runModelUsed(r, 21695L, 19800L, 52L);
  }

  @Test
  void logLinesAround_andTheOlderCostField_areHandled() {
    Reading r = ClaudeOutput.read(Recorded.stdout("claude/log-lines-old-cost-field"));
    assertThat(r.text()).isEqualTo("Renamed the module.");
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.0094");
    assertThat(r.totalTokens()).isNull();
  }

  @Test
  void errorResult_withoutText_keepsTheOutput_costAndTokens() {
    String out = Recorded.stdout("claude/error-max-turns");
    Reading r = ClaudeOutput.read(out);
    assertThat(r.text()).isEqualTo(out);
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.8812");
    runModelUsed(r, 1062582L, 1022310L, 9120L);
  }

  @Test
  void resultWithoutCost_hasTokens_andNoReportedCost() {
    Reading r = ClaudeOutput.read(Recorded.stdout("claude/no-cost-field"));
    assertThat(r.reportedCostUsd()).isNull();
    runModelUsed(r, 5020L, 4000L, 300L);
  }

  @Test
  void plainText_isTheAnswer_withNothingReported() {
    String out = Recorded.stdout("claude/text-no-usage");
    Reading r = ClaudeOutput.read(out);
    assertThat(r.text()).isEqualTo(out);
    nothingReported(r);
  }
}
