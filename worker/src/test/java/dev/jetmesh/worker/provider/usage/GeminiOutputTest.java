package dev.jetmesh.worker.provider.usage;

import static dev.jetmesh.worker.provider.usage.UsageAssert.nothingReported;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeminiOutputTest {
  @Test
  void stats_giveTokensPerModel_withThoughtsAsOutput_andNoMoney() {
    Reading r = GeminiOutput.read(Recorded.stdout("gemini/success-two-models"));
    assertThat(r.text()).startsWith("I updated `src/pager.py`");
    assertThat(r.reportedCostUsd()).isNull();
    assertThat(r.tokens())
        .containsExactly(
            new ModelTokens("gemini-2.5-pro", new TokenUsage(15269L, 6144L, 563L)),
            new ModelTokens("gemini-2.5-flash", new TokenUsage(1032L, 0L, 74L)));
    assertThat(r.totalTokens()).isEqualTo(new TokenUsage(16301L, 6144L, 637L));
    // Gemini's own totals: 15832 + 1106.
    assertThat(r.totalTokens().total()).isEqualTo(16938L);
  }

  @Test
  void olderStats_withLogLinesAround_countToolPromptTokensAsInput() {
    Reading r = GeminiOutput.read(Recorded.stdout("gemini/older-stats-with-log-lines"));
    assertThat(r.text()).isEqualTo("Added the missing import.");
    assertThat(r.tokens())
        .containsExactly(new ModelTokens("gemini-2.5-flash", new TokenUsage(8155L, 4096L, 155L)));
    assertThat(r.totalTokens().total()).isEqualTo(8310L);
  }

  @Test
  void modelsTheTableMayNotKnow_areStillCounted() {
    Reading r = GeminiOutput.read(Recorded.stdout("gemini/unknown-model"));
    assertThat(r.tokens())
        .containsExactly(new ModelTokens("gemini-3-pro-preview", new TokenUsage(2048L, 0L, 220L)));
  }

  @Test
  void error_isTheWholeOutput_withNothingReported() {
    String out = Recorded.stdout("gemini/error");
    Reading r = GeminiOutput.read(out);
    assertThat(r.text()).isEqualTo(out);
    nothingReported(r);
  }

  @Test
  void noModelStats_meansUnknownUsage() {
    Reading r = GeminiOutput.read(Recorded.stdout("gemini/no-model-stats"));
    assertThat(r.text()).startsWith("Nothing to do");
    nothingReported(r);
  }
}
