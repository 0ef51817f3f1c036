package dev.jetmesh.schema.model;

import dev.jetmesh.schema.InvalidRequestException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * The range of a metric score or threshold, shared by the worker (which reads scores from metric
 * output) and the orchestrator (which refuses anything else at its edge). Scores are exact decimals
 * ({@link BigDecimal}), so that a score printed as {@code 0.9} meets a threshold of {@code 0.9}
 * whatever binary rounding would say; the bounds keep every score storable in the read model
 * ({@code numeric}) and short enough to show in a prompt. Stateless.
 */
public final class MetricScore {
  /** Decimals kept: a score with more is rounded half-even to this many. */
  public static final int MAX_DECIMALS = 15;

  /** Largest magnitude of a score. */
  public static final BigDecimal MAX_ABS = new BigDecimal("1e15");

  private MetricScore() {}

  /**
   * {@code n} as a score: rounded to {@link #MAX_DECIMALS} decimals, or null when its magnitude is
   * above {@link #MAX_ABS} (a byte count or an id, not a score).
   */
  public static @Nullable BigDecimal normalise(@Nullable BigDecimal n) {
    if (n == null || n.abs().compareTo(MAX_ABS) > 0) {
      return null;
    }
    return n.scale() > MAX_DECIMALS ? n.setScale(MAX_DECIMALS, RoundingMode.HALF_EVEN) : n;
  }

  /**
   * {@code n} unchanged when it is null or a valid score.
   *
   * @throws InvalidRequestException naming {@code field} when it is out of range
   */
  public static @Nullable BigDecimal require(String field, @Nullable BigDecimal n) {
    if (n != null && (n.abs().compareTo(MAX_ABS) > 0 || n.scale() > MAX_DECIMALS)) {
      throw new InvalidRequestException(
          field
              + " must be a number between -1e15 and 1e15 with at most "
              + MAX_DECIMALS
              + " decimals: "
              + clip(n.toString()));
    }
    return n;
  }

  /** A score as people read it: plain digits, no exponent. */
  public static String text(BigDecimal score) {
    return score.stripTrailingZeros().toPlainString();
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
