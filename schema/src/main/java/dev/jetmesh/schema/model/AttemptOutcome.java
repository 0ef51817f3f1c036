package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an attempt came out, as the read API reports and filters it, from what the attempt recorded:
 * {@code kept} (its work was kept), {@code metric_failed} (not kept, and the task's metric said it
 * failed), {@code failed} (not kept for any other reason: the provider failed, ran out of budget or
 * was stopped; also a legacy client's attempt with {@code keep:false}).
 */
public enum AttemptOutcome {
  KEPT,
  METRIC_FAILED,
  FAILED;

  /** The outcome of an attempt with these fields. */
  public static AttemptOutcome of(boolean keep, @Nullable Boolean metricPassed) {
    if (keep) {
      return KEPT;
    }
    return Boolean.FALSE.equals(metricPassed) ? METRIC_FAILED : FAILED;
  }

  /** The lower-case wire name. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; an unknown name is an {@link InvalidRequestException}. */
  @JsonCreator
  public static AttemptOutcome fromWire(String name) {
    for (AttemptOutcome o : values()) {
      if (o.wire().equals(name)) {
        return o;
      }
    }
    throw new InvalidRequestException(
        "Unknown attempt outcome: " + name + " (expected kept, metric_failed or failed)");
  }
}
