package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which way a task's metric score improves: {@code higher} (coverage, tests passed) or {@code
 * lower} (latency, errors). Spelled on the wire in lower case. A task that names none is read as
 * {@code higher} ({@link #orDefault}).
 */
public enum MetricDirection implements WireNames.Named {
  HIGHER,
  LOWER;

  private static final List<MetricDirection> ALL = List.of(values());

  /** The lower-case wire name. */
  @JsonValue
  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wire();
  }

  /**
   * Parses a wire name.
   *
   * @throws dev.jetmesh.schema.InvalidRequestException naming {@code metric_direction} and the
   *     allowed values
   */
  @JsonCreator
  public static MetricDirection fromWire(String name) {
    return WireNames.parse("metric_direction", name, ALL);
  }

  /** {@code d}, or {@link #HIGHER} when it is null. */
  public static MetricDirection orDefault(@Nullable MetricDirection d) {
    return d == null ? HIGHER : d;
  }

  /** Whether {@code score} meets {@code threshold}: at least it (higher), at most it (lower). */
  public boolean meets(BigDecimal score, BigDecimal threshold) {
    int c = score.compareTo(threshold);
    return this == HIGHER ? c >= 0 : c <= 0;
  }

  /** Whether {@code a} is strictly better than {@code b}. */
  public boolean better(BigDecimal a, BigDecimal b) {
    int c = a.compareTo(b);
    return this == HIGHER ? c > 0 : c < 0;
  }

  /** The better of two scores, either of which may be null (then the other one wins). */
  public @Nullable BigDecimal best(@Nullable BigDecimal a, @Nullable BigDecimal b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return better(b, a) ? b : a;
  }
}
