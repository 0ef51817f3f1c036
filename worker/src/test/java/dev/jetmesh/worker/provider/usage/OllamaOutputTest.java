package dev.jetmesh.worker.provider.usage;

import static dev.jetmesh.worker.provider.usage.UsageAssert.nothingReported;
import static dev.jetmesh.worker.provider.usage.UsageAssert.runModelUsed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OllamaOutputTest {
  private static Reading read(String name) {
    return OllamaOutput.read(Recorded.stdout(name), Recorded.stderr(name));
  }

  @Test
  void verboseSummary_givesPromptAndEvalCounts_andStdoutIsTheAnswer() {
    Reading r = read("ollama/verbose");
    assertThat(r.text()).isEqualTo(Recorded.stdout("ollama/verbose"));
    assertThat(r.reportedCostUsd()).isNull();
    runModelUsed(r, 1187L, null, 356L);
  }

  @Test
  void missingPromptEvalCount_withinASummary_isZero() {
    runModelUsed(read("ollama/prompt-cached"), 0L, null, 3L);
  }

  @Test
  void spinnerCodes_andOtherStderrLines_areSkipped() {
    runModelUsed(read("ollama/spinner-and-noise"), 64L, null, 210L);
  }

  @Test
  void severalSummaries_areSummed() {
    runModelUsed(read("ollama/two-summaries"), 130L, null, 35L);
  }

  @Test
  void withoutVerbose_theUsageIsUnknown() {
    nothingReported(read("ollama/no-verbose"));
  }
}
