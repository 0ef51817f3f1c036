package dev.jetmesh.worker.provider.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import org.jspecify.annotations.Nullable;

/**
 * Token counts of one run (or one model within it), the same shape for every provider. Each count
 * is null when the CLI did not report it. Immutable.
 *
 * <p>As JSON ({@link #toJson}): {@code {"input":N,"cached_input":N,"output":N,"total":N}}, a key
 * left out when its count is unknown; {@code total} is {@code input + output} and present only when
 * both are.
 *
 * @param input every input (prompt) token, cached ones included
 * @param cachedInput the part of {@code input} read from the provider's prompt cache
 * @param output every output token, reasoning ("thinking") tokens included
 */
public record TokenUsage(@Nullable Long input, @Nullable Long cachedInput, @Nullable Long output) {
  /** Nothing known. */
  public static final TokenUsage UNKNOWN = new TokenUsage(null, null, null);

  public TokenUsage {
    requireNotNegative(input, "input");
    requireNotNegative(cachedInput, "cachedInput");
    requireNotNegative(output, "output");
  }

  /** {@code input + output}, or null when either is unknown. */
  public @Nullable Long total() {
    return input == null || output == null ? null : input + output;
  }

  /** True when no count is known. */
  public boolean isUnknown() {
    return input == null && cachedInput == null && output == null;
  }

  /**
   * The sum of two usages, count by count; a count unknown on either side is unknown in the sum, so
   * that a partial report never passes for a complete one.
   */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        add(input, other.input), add(cachedInput, other.cachedInput), add(output, other.output));
  }

  /** The stable JSON shape described above. */
  public ObjectNode toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    putIfKnown(o, "input", input);
    putIfKnown(o, "cached_input", cachedInput);
    putIfKnown(o, "output", output);
    putIfKnown(o, "total", total());
    return o;
  }

  private static void putIfKnown(ObjectNode o, String key, @Nullable Long value) {
    if (value != null) {
      o.put(key, value.longValue());
    }
  }

  private static @Nullable Long add(@Nullable Long a, @Nullable Long b) {
    return a == null || b == null ? null : a + b;
  }

  private static void requireNotNegative(@Nullable Long n, String what) {
    if (n != null && n < 0) {
      throw new IllegalArgumentException(what + " tokens cannot be negative: " + n);
    }
  }
}
