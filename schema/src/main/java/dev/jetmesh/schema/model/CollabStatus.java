package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Locale;

/**
 * The states of a collaboration session, as {@link CollabSession#status()} spells them: {@code
 * recruiting → active → converged → completed}, or {@code aborted} from any open state.
 */
public enum CollabStatus {
  RECRUITING,
  ACTIVE,
  CONVERGED,
  COMPLETED,
  ABORTED;

  /** The lower-case wire name. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; an unknown name is an {@link InvalidRequestException}. */
  @JsonCreator
  public static CollabStatus fromWire(String name) {
    for (CollabStatus s : values()) {
      if (s.wire().equals(name)) {
        return s;
      }
    }
    throw new InvalidRequestException("Unknown collab session status: " + name);
  }
}
