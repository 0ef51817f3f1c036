package dev.jetmesh.schema.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** The words the read API filters by: attempt outcomes and session states. */
class ReadWordsTest {
  @Test
  void anAttemptsOutcome_followsKeep_thenTheMetric() {
    assertThat(AttemptOutcome.of(true, false)).isEqualTo(AttemptOutcome.KEPT);
    assertThat(AttemptOutcome.of(false, false)).isEqualTo(AttemptOutcome.METRIC_FAILED);
    assertThat(AttemptOutcome.of(false, true)).isEqualTo(AttemptOutcome.FAILED);
    assertThat(AttemptOutcome.of(false, null)).isEqualTo(AttemptOutcome.FAILED);
  }

  @Test
  void wireNames_parseBack_andUnknownOnesAreRefused() {
    for (AttemptOutcome o : AttemptOutcome.values()) {
      assertThat(AttemptOutcome.fromWire(o.wire())).isEqualTo(o);
    }
    for (CollabStatus s : CollabStatus.values()) {
      assertThat(CollabStatus.fromWire(s.wire())).isEqualTo(s);
    }
    assertThat(AttemptOutcome.METRIC_FAILED.wire()).isEqualTo("metric_failed");
    assertThatThrownBy(() -> AttemptOutcome.fromWire("won"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Unknown attempt outcome: won (expected kept, metric_failed or failed)");
    assertThatThrownBy(() -> CollabStatus.fromWire("Active"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Unknown collab session status: Active");
  }
}
