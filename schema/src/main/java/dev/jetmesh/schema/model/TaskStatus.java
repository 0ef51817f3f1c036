package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Locale;

/** Task states, spelled on the wire as the reference spells them. */
public enum TaskStatus {
  QUEUED,
  CLAIMED,
  RUNNING,
  COMPLETED,
  FAILED,
  RELEASED,
  CANCELLED;

  /** The lower-case wire name. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for states no command may leave. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == RELEASED || this == CANCELLED;
  }

  /** True while a node holds the task. */
  public boolean isActive() {
    return this == CLAIMED || this == RUNNING;
  }

  /** Parses a wire name; an unknown name is an {@link InvalidRequestException}. */
  @JsonCreator
  public static TaskStatus fromWire(String name) {
    for (TaskStatus s : values()) {
      if (s.wire().equals(name)) {
        return s;
      }
    }
    throw new InvalidRequestException("Unknown task status: " + name);
  }
}
