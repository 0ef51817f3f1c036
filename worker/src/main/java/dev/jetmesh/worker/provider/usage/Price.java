package dev.jetmesh.worker.provider.usage;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What one model costs, in US dollars per million tokens. Immutable.
 *
 * @param input per million input tokens that were not read from the cache
 * @param cachedInput per million input tokens read from the cache, or null when the table gives no
 *     cache price (then they cost {@code input}, which can only overstate the cost)
 * @param output per million output tokens
 */
public record Price(BigDecimal input, @Nullable BigDecimal cachedInput, BigDecimal output) {
  public Price {
    requireNonNull(input, "null input");
    requireNonNull(output, "null output");
  }

  /**
   * The cost of {@code tokens}, or null when it cannot be known: input or output count unknown, or
   * more cached tokens than input tokens (a report that contradicts itself). An unknown cached
   * count charges all input at the {@code input} price.
   */
  public @Nullable BigDecimal cost(TokenUsage tokens) {
    if (tokens.input() == null || tokens.output() == null) {
      return null;
    }
    long cached = tokens.cachedInput() == null ? 0 : tokens.cachedInput();
    if (cached > tokens.input()) {
      return null;
    }
    BigDecimal cachedPrice = cachedInput == null ? input : cachedInput;
    BigDecimal perMillion =
        input
            .multiply(BigDecimal.valueOf(tokens.input() - cached))
            .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
            .add(output.multiply(BigDecimal.valueOf(tokens.output())));
    return perMillion.movePointLeft(6).stripTrailingZeros();
  }
}
