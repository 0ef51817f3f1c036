package dev.jetmesh.schema.model;

import java.time.Instant;

/**
 * A member of a session (REFERENCE.md section 2).
 *
 * @param role the role it joined with ({@code worker} by default)
 * @param status {@code active}, {@code reflecting} (reflected in the current round) or {@code dead}
 */
public record CollabNode(String nodeId, String role, Instant joinedAt, String status) {
  public boolean dead() {
    return "dead".equals(status);
  }
}
