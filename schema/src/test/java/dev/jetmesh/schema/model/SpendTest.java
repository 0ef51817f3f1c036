package dev.jetmesh.schema.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact sums of known costs, unknown costs counted apart, and the budget boundary. */
class SpendTest {
  private static Attempt costing(String usd) {
    return new Attempt(
        "a",
        "r",
        false,
        Instant.EPOCH,
        1,
        "n",
        "claude",
        null,
        0,
        null,
        null,
        1L,
        usd == null ? null : new BigDecimal(usd),
        null,
        null);
  }

  @Test
  void sum_isExact_whereDoublesAreNot() {
    Spend s = Spend.of(List.of(costing("0.1"), costing("0.2")));
    assertThat(s.knownUsd()).isEqualByComparingTo("0.3");
    assertThat(0.1 + 0.2).isNotEqualTo(0.3); // why BigDecimal
    assertThat(s.reaches(new BigDecimal("0.3"))).isTrue();
  }

  @Test
  void reaches_atTheBudget_notJustUnder_andNeverWithoutOne() {
    Spend s = Spend.of(List.of(costing("0.0125"), costing("0.0125")));
    assertThat(s.reaches(new BigDecimal("0.025"))).isTrue();
    assertThat(s.reaches(new BigDecimal("0.0250000001"))).isFalse();
    assertThat(s.reaches(new BigDecimal("0.0249999999"))).isTrue();
    assertThat(s.reaches(null)).isFalse();
  }

  @Test
  void unknownCosts_countApart_neverAsZero() {
    Spend s = Spend.of(List.of(costing(null), costing("0.02"), costing(null)));
    assertThat(s.knownUsd()).isEqualByComparingTo("0.02");
    assertThat(s.unknown()).isEqualTo(2);
    assertThat(s.exceededText(new BigDecimal("0.01")))
        .isEqualTo(
            "Budget exceeded: $0.02 spent of $0.01 budget_usd (2 runs of unknown cost not"
                + " counted)");
    Spend allUnknown = Spend.of(List.of(costing(null)));
    assertThat(allUnknown.reaches(new BigDecimal("0.000001"))).isFalse();
    assertThat(allUnknown.unknownText()).isEqualTo("1 run of unknown cost");
  }

  @Test
  void exceededResult_recordsWhatTheDecisionWasTakenFrom() {
    ObjectNode r = new Spend(new BigDecimal("0.3"), 0).exceededResult(new BigDecimal("0.25"));
    assertThat(r.path("success").asBoolean(true)).isFalse();
    assertThat(r.path("reason").asText()).isEqualTo("budget_exceeded");
    assertThat(r.path("summary").asText())
        .isEqualTo("Budget exceeded: $0.3 spent of $0.25 budget_usd");
    assertThat(r.path("spent_usd").decimalValue()).isEqualByComparingTo("0.3");
    assertThat(r.path("budget_usd").decimalValue()).isEqualByComparingTo("0.25");
    assertThat(r.path("unknown_cost_runs").asInt()).isZero();
  }
}
