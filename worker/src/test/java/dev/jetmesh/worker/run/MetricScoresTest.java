package dev.jetmesh.worker.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The score rule of docs/worker.md ("Metric scores") over the shapes metric output takes. */
class MetricScoresTest {

  private static BigDecimal read(String s) {
    return MetricScores.read(s.replace("\\n", "\n").replace("\\r", "\r").replace("\\e", "\u001B"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // the last number anywhere
        "42|42",
        "coverage: 87.5%|87.5",
        "score=0.93\\n|0.93",
        "loss -0.25|-0.25",
        "+3 over par|3",
        "throughput 1.5e3 req/s|1.5E+3",
        "tiny 2E-4|0.0002",
        ".5 of the tests|0.5",
        "Score is 42.|42",
        "passed 17 of 20 tests, took 3.2s|3.2",
        "p95 120ms\\n|120",
        "ratio 0.93/1.0|1.0",
        "time 12:30:45|45",
        "tests: 10\\nfailures: 2\\n\\n\\n|2",
        "  7  \\r\\n|7",
        "1,234 bytes|234",
        // glued to a word or a version: not numbers
        "x86 build ok, 5 warnings in test_1|5",
        "built v1.2.3 with 4 cores on jdk21|4",
        "range 10-3|3",
        // colour codes are ignored
        "\\e[32m91\\e[0m passed|91",
        // a JSON object on the last line with a numeric score wins
        "{\"score\": 0.91, \"runs\": 12}|0.91",
        "warming up 1000 runs\\n{\"score\":-3.5}|-3.5",
        "{\"score\": 1e2}|1E+2",
        "12 steps\\n{\"score\": 0.1, \"note\": \"0.7 was last week\"}\\n|0.1",
        // a JSON line without a numeric score: the last number of the whole output
        "{\"score\": \"0.9\", \"runs\": 12}|12",
        "{\"passed\": true}\\nsee above: 66|66",
        "total 3\\n{\"ok\": true}|3",
        // JSON that is not the last non-empty line does not count as the score line
        "{\"score\": 0.5}\\nthen 7|7",
      })
  void scoreIs(String output, String expected) {
    assertThat(read(output)).isEqualByComparingTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "all good",
        "\\n\\n",
        "ok: v1.2.3",
        "x86_64 abc123",
        "{\"score\": null}",
        "{\"score\": \"high\"}",
      })
  void noNumber_isNoScore(String output) {
    assertThat(read(output)).isNull();
  }

  @Test
  void nullOutput_isNoScore() {
    assertThat(MetricScores.read(null)).isNull();
  }

  @Test
  void hugeNumbers_areNoScore_andLongDecimalsAreRounded() {
    assertThat(read("wrote 9999999999999999 bytes")).isNull();
    assertThat(read("{\"score\": 1e400}")).isNull();
    assertThat(read("score 1e999999999")).isNull();
    assertThat(read("0.12345678901234567890")).isEqualByComparingTo("0.123456789012346");
  }

  @Test
  void decimalsAreReadExactly_notThroughDoubles() {
    assertThat(read("{\"score\": 0.1000000000000001}")).isEqualByComparingTo("0.1");
    assertThat(read("0.30000000000000004")).isEqualByComparingTo("0.300000000000000");
    assertThat(read("{\"score\": 0.3}")).isEqualTo(new BigDecimal("0.3"));
  }

  @Test
  void aLongOutput_isRead_toItsLastNumber() {
    String noise = "line without digits\n".repeat(100_000);
    assertThat(MetricScores.read("first 1\n" + noise + "final 99\n")).isEqualByComparingTo("99");
  }
}
