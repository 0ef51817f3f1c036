package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * A member's vote at the end of a round (REFERENCE.md section 4.6), and the coordinator's deciding
 * vote (which is {@code converged} or {@code continue}). {@code blocked} is just a vote that is not
 * {@code converged}. Spelled on the wire in lower case.
 */
public enum Vote implements ReflectionVote, WireNames.Named {
  CONTINUE,
  CONVERGED,
  BLOCKED;

  private static final List<Vote> ALL = List.of(CONTINUE, CONVERGED, BLOCKED);
  private static final List<Vote> COORDINATOR = List.of(CONVERGED, CONTINUE);

  /** The lower-case wire name. */
  @JsonValue
  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The wire name, so that text built from a vote reads as the reference's. */
  @Override
  public String toString() {
    return wire();
  }

  /**
   * Parses a member's vote.
   *
   * @throws dev.jetmesh.schema.InvalidRequestException {@code Invalid vote 'X': must be continue,
   *     converged or blocked}
   */
  @JsonCreator
  public static Vote fromWire(String name) {
    return WireNames.parse("vote", name, ALL);
  }

  /**
   * Parses the coordinator's vote.
   *
   * @throws dev.jetmesh.schema.InvalidRequestException {@code Invalid vote 'X': must be converged
   *     or continue}
   */
  public static Vote coordinatorVote(String name) {
    return WireNames.parse("vote", name, COORDINATOR);
  }
}
