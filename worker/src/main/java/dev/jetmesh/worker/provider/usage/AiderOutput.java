package dev.jetmesh.worker.provider.usage;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads aider's report after each LLM message: {@code Tokens: 2.4k sent, 312 received.} (with
 * {@code , N cache write} and {@code , N cache hit} before {@code received} when the model caches),
 * followed on the same line, or on the next one when both cache counts are shown, by {@code Cost:
 * $0.0087 message, $0.0210 session.} when aider knows the model's price.
 *
 * <p>One {@code aider --message} run can send several messages (a reflection after a failed edit, a
 * lint or test fix), each with its own report: tokens are per message and are summed; the cost is
 * the last report's {@code session} figure, aider's own total for the process. Aider rounds counts
 * of 1,000 and more ({@code 2.4k}, {@code 12k}), so tokens above 999 are approximate. Input is
 * {@code sent}, output {@code received}; the cached part is left unknown, because {@code cache hit}
 * is part of {@code sent} for some model families and not for others. Without a report the usage is
 * unknown. White space inside the report may be any (a narrow console wraps it). Stateless and
 * thread-safe.
 */
public final class AiderOutput {
  private static final String N = "(\\d+(?:\\.\\d+)?k?)";
  private static final Pattern TOKENS =
      Pattern.compile(
          "(?m)^Tokens:\\s+"
              + N
              + "\\s+sent(?:,\\s+"
              + N
              + "\\s+cache write)?(?:,\\s+"
              + N
              + "\\s+cache hit)?,\\s+"
              + N
              + "\\s+received\\.");
  private static final Pattern COST =
      Pattern.compile(
          "Cost:\\s+\\$(\\d+(?:\\.\\d+)?)\\s+message,\\s+\\$(\\d+(?:\\.\\d+)?)\\s+session\\.");

  private AiderOutput() {}

  /** The text (stdout as is), the session cost and the summed tokens of one aider run. */
  public static Reading read(String stdout) {
    String out = stdout == null ? "" : stdout;
    TokenUsage sum = null;
    Matcher t = TOKENS.matcher(out);
    while (t.find()) {
      TokenUsage message = new TokenUsage(count(t.group(1)), null, count(t.group(4)));
      sum = sum == null ? message : sum.plus(message);
    }
    BigDecimal session = null;
    Matcher c = COST.matcher(out);
    while (c.find()) {
      session = new BigDecimal(c.group(2));
    }
    return new Reading(
        out, session, sum == null ? List.of() : List.of(ModelTokens.ofRunModel(sum)));
  }

  /** {@code 312} is 312; {@code 2.4k} is 2,400 and {@code 12k} 12,000 (aider's rounding). */
  static long count(String n) {
    if (n.endsWith("k")) {
      return new BigDecimal(n.substring(0, n.length() - 1)).movePointRight(3).longValue();
    }
    return Long.parseLong(n);
  }
}
