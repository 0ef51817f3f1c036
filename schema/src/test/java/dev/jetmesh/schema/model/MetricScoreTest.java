package dev.jetmesh.schema.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Score bounds, the direction's comparisons, and its wire name. */
class MetricScoreTest {
  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void higher_meetsAtOrAbove_lower_meetsAtOrBelow_theThreshold() {
    assertThat(MetricDirection.HIGHER.meets(d("0.9"), d("0.90"))).isTrue();
    assertThat(MetricDirection.HIGHER.meets(d("0.8999999"), d("0.9"))).isFalse();
    assertThat(MetricDirection.HIGHER.meets(d("12"), d("0.9"))).isTrue();
    assertThat(MetricDirection.LOWER.meets(d("0.9"), d("0.9"))).isTrue();
    assertThat(MetricDirection.LOWER.meets(d("0.9000001"), d("0.9"))).isFalse();
    assertThat(MetricDirection.LOWER.meets(d("-3"), d("0.9"))).isTrue();
  }

  @Test
  void better_isStrict_andBest_takesTheBetterOrTheOnlyOne() {
    assertThat(MetricDirection.HIGHER.better(d("2"), d("2.0"))).isFalse();
    assertThat(MetricDirection.HIGHER.better(d("2.1"), d("2"))).isTrue();
    assertThat(MetricDirection.LOWER.better(d("1.9"), d("2"))).isTrue();
    assertThat(MetricDirection.HIGHER.best(d("1"), d("3"))).isEqualTo(d("3"));
    assertThat(MetricDirection.LOWER.best(d("1"), d("3"))).isEqualTo(d("1"));
    assertThat(MetricDirection.LOWER.best(null, d("3"))).isEqualTo(d("3"));
    assertThat(MetricDirection.LOWER.best(d("3"), null)).isEqualTo(d("3"));
    assertThat(MetricDirection.orDefault(null)).isSameAs(MetricDirection.HIGHER);
  }

  @Test
  void direction_travelsAsItsLowerCaseName_andAnUnknownWordNamesTheAllowedOnes() throws Exception {
    assertThat(Json.mapper().writeValueAsString(MetricDirection.LOWER)).isEqualTo("\"lower\"");
    assertThat(MetricDirection.fromWire("higher")).isSameAs(MetricDirection.HIGHER);
    assertThatThrownBy(() -> MetricDirection.fromWire("up"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Invalid metric_direction 'up': must be higher or lower");
  }

  @Test
  void normalise_roundsPast15Decimals_andDropsHugeNumbers() {
    assertThat(MetricScore.normalise(d("0.12345678901234567"))).isEqualTo(d("0.123456789012346"));
    assertThat(MetricScore.normalise(d("-1e15"))).isEqualByComparingTo(d("-1000000000000000"));
    assertThat(MetricScore.normalise(d("1.0000001e15"))).isNull();
    assertThat(MetricScore.normalise(d("42"))).isEqualTo(d("42"));
    assertThat(MetricScore.normalise(null)).isNull();
  }

  @Test
  void require_refusesOutOfRange_namingTheField() {
    assertThat(MetricScore.require("metric_score", d("-0.5"))).isEqualTo(d("-0.5"));
    assertThat(MetricScore.require("metric_score", null)).isNull();
    assertThatThrownBy(() -> MetricScore.require("metric_threshold", d("2e15")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("metric_threshold must be a number between -1e15 and 1e15");
    assertThatThrownBy(() -> MetricScore.require("metric_score", d("1e-16")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at most 15 decimals");
  }

  @Test
  void text_isPlain() {
    assertThat(MetricScore.text(d("1E+3"))).isEqualTo("1000");
    assertThat(MetricScore.text(d("0.8500"))).isEqualTo("0.85");
  }
}
