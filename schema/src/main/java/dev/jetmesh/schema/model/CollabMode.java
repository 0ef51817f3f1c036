package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * How the members of a session work in a round (REFERENCE.md section 4): all at once, one turn
 * after another, or one leader with reviewers. Spelled on the wire in lower case.
 */
public enum CollabMode implements WireNames.Named {
  PARALLEL,
  SEQUENTIAL,
  REVIEW;

  private static final List<CollabMode> ALL = List.of(values());

  /** The lower-case wire name. */
  @JsonValue
  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The wire name, so that text built from a mode reads as the reference's. */
  @Override
  public String toString() {
    return wire();
  }

  /** {@code parallel, sequential or review}. */
  public static String allowed() {
    return WireNames.list(ALL);
  }

  /**
   * Parses a wire name.
   *
   * @throws dev.jetmesh.schema.InvalidRequestException naming {@code mode} and the allowed values
   */
  @JsonCreator
  public static CollabMode fromWire(String name) {
    return WireNames.parse("mode", name, ALL);
  }
}
