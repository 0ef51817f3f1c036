package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Locale;

/**
 * Subtask states: {@code pending → queued → completed | failed}; {@code blocked} when a dependency
 * failed or the plan was aborted. {@code queued} means dispatched: a mesh task is running it, or a
 * human/local/soul subtask waits for {@code mesh.plans.subtask.update}.
 */
public enum SubtaskStatus {
  PENDING,
  QUEUED,
  COMPLETED,
  FAILED,
  BLOCKED;

  /** The lower-case wire name. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True once the subtask can no longer change. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == BLOCKED;
  }

  /** Parses a wire name; an unknown name is an {@link InvalidRequestException}. */
  @JsonCreator
  public static SubtaskStatus fromWire(String name) {
    for (SubtaskStatus s : values()) {
      if (s.wire().equals(name)) {
        return s;
      }
    }
    throw new InvalidRequestException("Unknown subtask status: " + name);
  }
}
