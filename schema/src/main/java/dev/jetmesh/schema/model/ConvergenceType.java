package dev.jetmesh.schema.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * The rule that decides whether a round converged (REFERENCE.md section 4.6). Spelled on the wire
 * in lower case.
 */
public enum ConvergenceType implements WireNames.Named {
  /** Every valid vote is {@code converged} and no reflection failed to parse. */
  UNANIMOUS,
  /** At least {@code threshold} of the valid votes are {@code converged}. */
  MAJORITY,
  /** The coordinator's vote decides. */
  COORDINATOR,
  /** Every valid reflection reports the task metric passed. */
  METRIC;

  private static final List<ConvergenceType> ALL = List.of(values());

  /** The lower-case wire name. */
  @JsonValue
  @Override
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The wire name, so that text built from a type reads as the reference's. */
  @Override
  public String toString() {
    return wire();
  }

  /** {@code unanimous, majority, coordinator or metric}. */
  public static String allowed() {
    return WireNames.list(ALL);
  }

  /**
   * Parses a wire name.
   *
   * @throws dev.jetmesh.schema.InvalidRequestException naming {@code convergence.type} and the
   *     allowed values
   */
  @JsonCreator
  public static ConvergenceType fromWire(String name) {
    return WireNames.parse("convergence.type", name, ALL);
  }
}
