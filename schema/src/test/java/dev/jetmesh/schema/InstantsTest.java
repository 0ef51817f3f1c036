package dev.jetmesh.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast paths must be indistinguishable from the JDK's: same text, same instants, same errors.
 */
class InstantsTest {
  private static final long SEED = 20261206L;

  @Test
  void format_isInstantToString_forInstantsOfEveryPrecision() {
    SplittableRandom r = new SplittableRandom(SEED);
    long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
    for (int k = 0; k < 200_000; k++) {
      int nano =
          switch (k % 4) {
            case 0 -> 0;
            case 1 -> r.nextInt(1_000) * 1_000_000;
            case 2 -> r.nextInt(1_000_000) * 1_000;
            default -> r.nextInt(1_000_000_000);
          };
      Instant i = Instant.ofEpochSecond(r.nextLong(min, max), nano);
      assertThat(Instants.format(i)).isEqualTo(i.toString());
      assertThat(Instants.appendTo(new StringBuilder("x"), i).toString())
          .isEqualTo("x" + i.toString());
    }
  }

  @Test
  void parse_readsBackWhatFormatWrote() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int k = 0; k < 200_000; k++) {
      Instant i =
          Instant.ofEpochSecond(r.nextLong(-62_167_219_200L, 253_402_300_799L), r.nextInt(1 << 30));
      assertThat(Instants.parse(i.toString())).isEqualTo(i);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-06T02:17:15Z",
        "2026-12-06T02:17:15.1Z",
        "2026-12-06T02:17:15.123456789Z",
        "2024-02-29T23:59:59.999Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "2026-12-06T24:00:00Z",
        "2026-12-06T02:17:15.Z",
        "2026-12-31T23:59:60Z",
        "2026-12-06t02:17:15z",
        "2026-12-06T02:17:15+01:00",
        "+12026-12-06T02:17:15Z",
      })
  void parse_acceptsWhatTheJdkAccepts_asTheJdkDoes(String text) {
    assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2026-12-06",
        "2026-12-06T02:17:15",
        "2026-12-06T02:17:15.1234567890Z",
        "2026-13-06T02:17:15Z",
        "2026-00-06T02:17:15Z",
        "2026-02-29T02:17:15Z",
        "2026-04-31T02:17:15Z",
        "2026-12-00T02:17:15Z",
        "2026-12-06T25:17:15Z",
        "2026-12-06T02:60:15Z",
        "2026-12-06T02:17:61Z",
        "2026-12-06T02:17:1xZ",
        "2026-12-06T02:17:15.12a4Z",
        "2026-12-06T02:17:15.-1Z",
        "2026-1２-06T02:17:15Z",
        "2026-12-06 02:17:15Z",
        "-026-12-06T02:17:15Z",
      })
  void parse_refusesWhatTheJdkRefuses_withItsException(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeParseException.class);
  }
}
