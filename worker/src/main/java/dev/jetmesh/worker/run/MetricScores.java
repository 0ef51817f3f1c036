package dev.jetmesh.worker.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.MetricScore;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a score from a metric's standard output (docs/worker.md, "Metric scores"):
 *
 * <ol>
 *   <li>when the last non-empty line is a JSON object with a numeric field {@code score}, that
 *       number;
 *   <li>else the last number anywhere in the output: an integer or decimal, optionally signed, with
 *       an optional exponent, maybe followed by a unit ({@code 3.2s}, {@code 87%}), but not the end
 *       of a word ({@code x86}, {@code test_1}) nor part of a dotted version ({@code 1.2.3});
 *       terminal colour codes are ignored;
 *   <li>else no score (null).
 * </ol>
 *
 * A number whose magnitude is above 1e15 is no score; one with more than 15 decimals is rounded to
 * 15 ({@link MetricScore}). Numbers are read exactly, as decimals. Stateless and thread-safe.
 */
public final class MetricScores {
  private static final ObjectReader JSON =
      Json.mapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /**
   * A number not glued to a word or a dot before it, nor to a digit, an underscore or a dotted
   * number after it; a unit may follow ({@code 3.2s}, {@code 120ms}).
   */
  private static final Pattern NUMBER =
      Pattern.compile(
          "(?<![\\w.])[-+]?(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:[eE][-+]?\\d+)?(?![\\d_])(?!\\.\\d)");

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

  private MetricScores() {}

  /** The score in {@code stdout}, or null when it holds none. */
  public static @Nullable BigDecimal read(@Nullable String stdout) {
    if (stdout == null || stdout.isEmpty()) {
      return null;
    }
    String text = ANSI.matcher(stdout).replaceAll("");
    JsonNode last = jsonObject(lastNonEmptyLine(text));
    if (last != null && last.path("score").isNumber()) {
      return MetricScore.normalise(last.get("score").decimalValue());
    }
    return MetricScore.normalise(lastNumber(text));
  }

  private static String lastNonEmptyLine(String text) {
    int end = text.length();
    while (end > 0) {
      int start = text.lastIndexOf('\n', end - 1) + 1;
      String line = text.substring(start, end).strip();
      if (!line.isEmpty()) {
        return line;
      }
      end = start - 1;
    }
    return "";
  }

  private static @Nullable JsonNode jsonObject(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static @Nullable BigDecimal lastNumber(String text) {
    Matcher m = NUMBER.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      return null;
    }
    try {
      return new BigDecimal(last.startsWith("+") ? last.substring(1) : last);
    } catch (NumberFormatException e) {
      return null; // an exponent beyond what BigDecimal holds: no score
    }
  }
}
