package dev.jetmesh.worker.provider.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Assertions on readings shared by the reader tests. */
final class UsageAssert {
  private UsageAssert() {}

  /** {@code r} reports exactly one usage, of the run's model, with these counts. */
  static void runModelUsed(Reading r, Long input, Long cachedInput, Long output) {
    assertThat(r.tokens())
        .containsExactly(ModelTokens.ofRunModel(new TokenUsage(input, cachedInput, output)));
  }

  /** {@code r} reports no usage and no cost. */
  static void nothingReported(Reading r) {
    assertThat(r.tokens()).isEqualTo(List.of());
    assertThat(r.totalTokens()).isNull();
    assertThat(r.reportedCostUsd()).isNull();
  }
}
