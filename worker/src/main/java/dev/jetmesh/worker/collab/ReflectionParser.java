package dev.jetmesh.worker.collab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a node's reflection out of its LLM output exactly as the reference agent does (REFERENCE.md
 * section 4.9):
 *
 * <ol>
 *   <li>The <b>last</b> {@code ```json} block is parsed (strict JSON, as {@code JSON.parse}), and
 *       {@code parsed.reflection || parsed} (JavaScript truthiness) is read. Non-string {@code
 *       summary}/{@code learnings} become {@code ""}. The confidence must be a number in [0,1] and
 *       the lower-cased vote one of {@link Reflection#VOTES}; if either is not, the reflection is
 *       {@code parse_failed} with the invalid one replaced by its default ({@code 0.5}, {@code
 *       parse_error}) and an empty summary replaced by the last 300 characters of the output.
 *   <li>When there is no such block or its JSON does not parse (or is {@code null}, on which the
 *       reference's property access throws), the first {@code REFLECTION_START…REFLECTION_END}
 *       block is read line by line: {@code SUMMARY:}, {@code LEARNINGS:}, {@code CONFIDENCE:}
 *       ({@code parseFloat}; NaN becomes 0.5) and {@code VOTE:}. Only an invalid or missing vote
 *       marks it failed.
 *   <li>Otherwise: the last 300 characters as summary, no learnings, 0.5, {@code parse_error},
 *       failed.
 * </ol>
 *
 * Stateless and thread-safe.
 */
public final class ReflectionParser {
  /** How much of the output stands in for a missing summary. */
  public static final int SUMMARY_FALLBACK_CHARS = 300;

  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\s*\\n([\\s\\S]*?)```");
  private static final Pattern LEGACY_BLOCK =
      Pattern.compile("REFLECTION_START([\\s\\S]*?)REFLECTION_END");
  private static final Pattern SUMMARY = Pattern.compile("SUMMARY:\\s*(.+)");
  private static final Pattern LEARNINGS = Pattern.compile("LEARNINGS:\\s*(.+)");
  private static final Pattern CONFIDENCE = Pattern.compile("CONFIDENCE:\\s*(.+)");
  private static final Pattern VOTE = Pattern.compile("VOTE:\\s*(.+)");

  /** The prefix JavaScript's {@code parseFloat} accepts (after leading white space). */
  private static final Pattern FLOAT_PREFIX =
      Pattern.compile("^[+-]?(?:Infinity|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");

  private static final ObjectReader STRICT_JSON =
      new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ReflectionParser() {}

  /** The reflection in {@code output} (null reads as empty). Never throws. */
  public static Reflection parse(String output) {
    String text = output == null ? "" : output;
    JsonNode parsed = lastJsonBlock(text);
    if (parsed != null) {
      return fromJson(parsed, text);
    }
    Matcher legacy = LEGACY_BLOCK.matcher(text);
    if (legacy.find()) {
      return fromLegacy(legacy.group(1));
    }
    return new Reflection(fallbackSummary(text), "", 0.5, Reflection.PARSE_ERROR, true);
  }

  /** The parsed last JSON block, or null when there is none or it is not JSON (or is null). */
  private static @Nullable JsonNode lastJsonBlock(String text) {
    Matcher m = JSON_BLOCK.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    if (last == null) {
      return null;
    }
    try {
      JsonNode n = STRICT_JSON.readTree(last);
      return n == null || n.isMissingNode() || n.isNull() ? null : n;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Reflection fromJson(JsonNode parsed, String text) {
    JsonNode reflection = parsed.get("reflection");
    JsonNode r = truthy(reflection) ? reflection : parsed;
    String summary = string(r.get("summary"));
    String learnings = string(r.get("learnings"));
    JsonNode c = r.get("confidence");
    Double confidence = null;
    if (c != null && c.isNumber()) {
      double d = c.doubleValue();
      if (d >= 0.0 && d <= 1.0) {
        confidence = d;
      }
    }
    JsonNode v = r.get("vote");
    String vote = null;
    if (v != null && v.isTextual()) {
      String lower = v.textValue().toLowerCase(Locale.ROOT);
      if (Reflection.VOTES.contains(lower)) {
        vote = lower;
      }
    }
    if (confidence == null || vote == null) {
      return new Reflection(
          summary.isEmpty() ? fallbackSummary(text) : summary,
          learnings,
          confidence == null ? 0.5 : confidence,
          vote == null ? Reflection.PARSE_ERROR : vote,
          true);
    }
    return new Reflection(summary, learnings, confidence, vote, false);
  }

  private static Reflection fromLegacy(String block) {
    String summary = line(SUMMARY, block);
    String learnings = line(LEARNINGS, block);
    double confidence = parseFloat(line(CONFIDENCE, block));
    String vote = line(VOTE, block).toLowerCase(Locale.ROOT);
    boolean valid = Reflection.VOTES.contains(vote);
    return new Reflection(
        summary,
        learnings,
        Double.isNaN(confidence) ? 0.5 : confidence,
        valid ? vote : Reflection.PARSE_ERROR,
        !valid);
  }

  /** The trimmed rest of the first line matching {@code p}, or {@code ""}. */
  private static String line(Pattern p, String block) {
    Matcher m = p.matcher(block);
    return m.find() ? m.group(1).strip() : "";
  }

  /** JavaScript's {@code parseFloat}: the longest numeric prefix, NaN when there is none. */
  static double parseFloat(String s) {
    Matcher m = FLOAT_PREFIX.matcher(s.stripLeading());
    if (!m.find()) {
      return Double.NaN;
    }
    String num = m.group();
    if (num.endsWith("Infinity")) {
      return num.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(num);
  }

  /** JavaScript truthiness of a JSON value; a missing field is undefined, hence false. */
  private static boolean truthy(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isNumber()) {
      double d = n.doubleValue();
      return d != 0.0 && !Double.isNaN(d);
    }
    if (n.isTextual()) {
      return !n.textValue().isEmpty();
    }
    return true;
  }

  private static String string(JsonNode n) {
    return n != null && n.isTextual() ? n.textValue() : "";
  }

  /**
   * The last 300 characters; a leading half of a surrogate pair is dropped so that the text stays
   * valid UTF-16 (JavaScript's slice would keep it, and JSON encoders then reject or mangle it).
   */
  static String fallbackSummary(String text) {
    if (text.length() <= SUMMARY_FALLBACK_CHARS) {
      return text;
    }
    String tail = text.substring(text.length() - SUMMARY_FALLBACK_CHARS);
    return Character.isLowSurrogate(tail.charAt(0)) ? tail.substring(1) : tail;
  }
}
