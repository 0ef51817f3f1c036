package dev.jetmesh.worker.provider.usage;

import static dev.jetmesh.worker.provider.usage.UsageAssert.nothingReported;
import static dev.jetmesh.worker.provider.usage.UsageAssert.runModelUsed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AiderOutputTest {
  @Test
  void report_givesTokens_andTheSessionCost() {
    Reading r = AiderOutput.read(Recorded.stdout("aider/with-cost"));
    assertThat(r.text()).isEqualTo(Recorded.stdout("aider/with-cost"));
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.01");
    runModelUsed(r, 3200L, null, 418L);
  }

  @Test
  void severalMessages_sumTheirTokens_andTakeTheLastSessionCost() {
    Reading r = AiderOutput.read(Recorded.stdout("aider/reflection-two-messages"));
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.02");
    runModelUsed(r, 6500L, null, 645L);
  }

  @Test
  void cacheCounts_andACostOnTheNextLine_areRead() {
    Reading r = AiderOutput.read(Recorded.stdout("aider/cache-hit-and-write"));
    assertThat(r.reportedCostUsd()).isEqualByComparingTo("0.05");
    runModelUsed(r, 12000L, null, 604L);
  }

  @Test
  void modelWithoutAKnownPrice_hasTokens_butNoReportedCost() {
    Reading r = AiderOutput.read(Recorded.stdout("aider/no-price-known"));
    assertThat(r.reportedCostUsd()).isNull();
    runModelUsed(r, 1900L, null, 233L);
  }

  @Test
  void noReport_meansUnknownUsage() {
    nothingReported(AiderOutput.read(Recorded.stdout("aider/no-report")));
  }

  @Test
  void roundedCounts_areReadAsAiderRoundedThem() {
    assertThat(AiderOutput.count("312")).isEqualTo(312);
    assertThat(AiderOutput.count("2.4k")).isEqualTo(2400);
    assertThat(AiderOutput.count("12k")).isEqualTo(12000);
  }
}
