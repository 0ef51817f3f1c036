package dev.jetmesh.schema;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@link Instant#toString()} and {@link Instant#parse} without {@code DateTimeFormatter}, for the
 * one shape the mesh writes ({@code 2026-12-06T02:17:15.123456Z}): every event carries instants,
 * and the formatter's general machinery was a tenth of the projector's CPU. Anything outside that
 * shape (an offset, a leap second, a year past 9999) goes to the JDK, so results are exactly the
 * JDK's, including its exceptions. Thread-safe.
 */
public final class Instants {
  private static final long MIN_FAST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long MAX_FAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
  private static final int[] POW10 = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private Instants() {}

  /** Exactly {@code i.toString()}. */
  public static String format(Instant i) {
    if (i.getEpochSecond() < MIN_FAST || i.getEpochSecond() > MAX_FAST) {
      return i.toString();
    }
    return appendTo(new StringBuilder(30), i).toString();
  }

  /** Appends exactly {@code i.toString()} to {@code sb}. */
  public static StringBuilder appendTo(StringBuilder sb, Instant i) {
    if (i.getEpochSecond() < MIN_FAST || i.getEpochSecond() > MAX_FAST) {
      return sb.append(i);
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(i.getEpochSecond(), 0, ZoneOffset.UTC);
    digits(sb, t.getYear(), 4).append('-');
    digits(sb, t.getMonthValue(), 2).append('-');
    digits(sb, t.getDayOfMonth(), 2).append('T');
    digits(sb, t.getHour(), 2).append(':');
    digits(sb, t.getMinute(), 2).append(':');
    digits(sb, t.getSecond(), 2);
    int nano = i.getNano();
    if (nano != 0) {
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        digits(sb, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(sb, nano / 1_000, 6);
      } else {
        digits(sb, nano, 9);
      }
    }
    return sb.append('Z');
  }

  /**
   * Exactly {@code Instant.parse(text)}.
   *
   * @throws DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(CharSequence text) {
    int n = text.length();
    if (n < 20
        || n == 21
        || n > 30
        || text.charAt(n - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || (n > 20 && text.charAt(19) != '.')) {
      return Instant.parse(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    int fraction = n > 20 ? number(text, 20, n - 1) : 0;
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || fraction < 0) {
      return Instant.parse(text); // its message (or its handling of 24:00 and leap seconds)
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    long seconds = days * 86_400L + hour * 3_600L + minute * 60L + second;
    int nanos = n > 20 ? fraction * POW10[9 - (n - 21)] : 0;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /** The decimal digits from {@code from} to {@code to}, or -1 if any is not an ASCII digit. */
  private static int number(CharSequence s, int from, int to) {
    int v = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static StringBuilder digits(StringBuilder sb, int v, int width) {
    for (int p = width - 1; p >= 0; p--) {
      sb.append((char) ('0' + (v / POW10[p]) % 10));
    }
    return sb;
  }
}
