package dev.jetmesh.schema;

import java.time.Instant;
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
    char[] buf = new char[30];
    return new String(buf, 0, render(buf, i));
  }

  /** Appends exactly {@code i.toString()} to {@code sb}. */
  public static StringBuilder appendTo(StringBuilder sb, Instant i) {
    if (i.getEpochSecond() < MIN_FAST || i.getEpochSecond() > MAX_FAST) {
      return sb.append(i);
    }
    char[] buf = new char[30];
    return sb.append(buf, 0, render(buf, i));
  }

  /** Writes an instant of years 0000 to 9999 into {@code buf}; returns the length. */
  private static int render(char[] buf, Instant i) {
    long seconds = i.getEpochSecond();
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days);
    int year = date.getYear();
    two(buf, 0, year / 100);
    two(buf, 2, year % 100);
    buf[4] = '-';
    two(buf, 5, date.getMonthValue());
    buf[7] = '-';
    two(buf, 8, date.getDayOfMonth());
    buf[10] = 'T';
    two(buf, 11, secondOfDay / 3_600);
    buf[13] = ':';
    two(buf, 14, secondOfDay / 60 % 60);
    buf[16] = ':';
    two(buf, 17, secondOfDay % 60);
    int n = 19;
    int nano = i.getNano();
    if (nano != 0) {
      buf[n++] = '.';
      int digits;
      int value;
      if (nano % 1_000_000 == 0) {
        digits = 3;
        value = nano / 1_000_000;
      } else if (nano % 1_000 == 0) {
        digits = 6;
        value = nano / 1_000;
      } else {
        digits = 9;
        value = nano;
      }
      for (int k = n + digits - 1; k >= n; k--) {
        buf[k] = (char) ('0' + value % 10);
        value /= 10;
      }
      n += digits;
    }
    buf[n++] = 'Z';
    return n;
  }

  private static void two(char[] buf, int at, int v) {
    buf[at] = (char) ('0' + v / 10);
    buf[at + 1] = (char) ('0' + v % 10);
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
}
