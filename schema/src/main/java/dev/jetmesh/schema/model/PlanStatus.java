package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Locale;

/**
 * Plan states (REFERENCE.md section 3): {@code draft → review → approved → executing → completed},
 * or {@code aborted} from any non-terminal state. A plan that needs approval waits in {@code
 * review}; one that does not goes straight from {@code draft} to {@code executing}.
 */
public enum PlanStatus {
  DRAFT,
  REVIEW,
  APPROVED,
  EXECUTING,
  COMPLETED,
  ABORTED;

  /** The lower-case wire name. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for states no command may leave. */
  public boolean isTerminal() {
    return this == COMPLETED || this == ABORTED;
  }

  /** Parses a wire name; an unknown name is an {@link InvalidRequestException}. */
  @JsonCreator
  public static PlanStatus fromWire(String name) {
    for (PlanStatus s : values()) {
      if (s.wire().equals(name)) {
        return s;
      }
    }
    throw new InvalidRequestException("Unknown plan status: " + name);
  }
}
