package dev.jetmesh.orchestrator.wire;

import dev.jetmesh.schema.InvalidRequestException;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Dollar amounts at the edge: a budget must be positive, a reported cost must not be negative (a
 * negative cost would buy budget back), and both must stay below a million dollars with at most
 * {@value #MAX_DECIMALS} decimals, so that every sum is exact, every message short and every value
 * storable in the read model. Stateless.
 */
public final class Money {
  /** Decimals a dollar amount may have. */
  public static final int MAX_DECIMALS = 12;

  private static final BigDecimal LIMIT = new BigDecimal("1000000");

  private Money() {}

  /**
   * A money budget ({@code budget_usd}): null, or above 0 and below 1,000,000.
   *
   * @throws InvalidRequestException naming {@code field}
   */
  public static @Nullable BigDecimal budget(String field, @Nullable BigDecimal usd) {
    if (usd != null && (usd.signum() <= 0 || !inRange(usd))) {
      throw new InvalidRequestException(
          field
              + " must be a positive number of dollars below 1000000 with at most "
              + MAX_DECIMALS
              + " decimals: "
              + clip(usd));
    }
    return usd;
  }

  /**
   * A reported cost ({@code cost_usd}): null (unknown), or from 0 to below 1,000,000.
   *
   * @throws InvalidRequestException naming {@code field}
   */
  public static @Nullable BigDecimal cost(String field, @Nullable BigDecimal usd) {
    if (usd != null && (usd.signum() < 0 || !inRange(usd))) {
      throw new InvalidRequestException(
          field
              + " must be a number of dollars from 0 to below 1000000 with at most "
              + MAX_DECIMALS
              + " decimals: "
              + clip(usd));
    }
    return usd;
  }

  private static boolean inRange(BigDecimal usd) {
    return usd.compareTo(LIMIT) < 0 && usd.scale() <= MAX_DECIMALS;
  }

  private static String clip(BigDecimal usd) {
    String s = usd.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
