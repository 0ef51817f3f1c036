package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.jetmesh.schema.InvalidRequestException;
import java.util.Locale;

/**
 * Node states: {@code joined ⇄ stale} (silent longer than the threshold, then beating again), and
 * {@code removed} from either, for good.
 */
public enum NodeStatus {
  JOINED,
  STALE,
  REMOVED;

  /** The lower-case wire name. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; an unknown name is an {@link InvalidRequestException}. */
  @JsonCreator
  public static NodeStatus fromWire(String name) {
    for (NodeStatus s : values()) {
      if (s.wire().equals(name)) {
        return s;
      }
    }
    throw new InvalidRequestException("Unknown node status: " + name);
  }
}
