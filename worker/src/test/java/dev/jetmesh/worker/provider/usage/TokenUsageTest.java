package dev.jetmesh.worker.provider.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenUsageTest {
  @Test
  void json_hasTheStableKeys_andTotalWhenInputAndOutputAreKnown() {
    assertThat(new TokenUsage(100L, 40L, 7L).toJson().toString())
        .isEqualTo("{\"input\":100,\"cached_input\":40,\"output\":7,\"total\":107}");
  }

  @Test
  void json_leavesUnknownCountsOut_neverWritesZeroForThem() {
    assertThat(new TokenUsage(100L, null, 7L).toJson().toString())
        .isEqualTo("{\"input\":100,\"output\":7,\"total\":107}");
    assertThat(new TokenUsage(null, null, 7L).toJson().toString()).isEqualTo("{\"output\":7}");
    assertThat(TokenUsage.UNKNOWN.toJson().isEmpty()).isTrue();
  }

  @Test
  void sum_keepsACountUnknownWhenEitherSideIsUnknown() {
    assertThat(new TokenUsage(1L, 1L, 1L).plus(new TokenUsage(2L, null, 3L)))
        .isEqualTo(new TokenUsage(3L, null, 4L));
  }

  @Test
  void negativeCounts_areRefused() {
    assertThatThrownBy(() -> new TokenUsage(-1L, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
