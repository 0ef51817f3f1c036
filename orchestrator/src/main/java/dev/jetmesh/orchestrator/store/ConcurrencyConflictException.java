package dev.jetmesh.orchestrator.store;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/**
 * An append was refused because the aggregate's subject has moved past the expected sequence:
 * somebody else appended first. The caller reloads and decides again.
 */
public final class ConcurrencyConflictException extends MeshException {
  private final String subject;
  private final long expected;

  public ConcurrencyConflictException(String subject, long expected, String serverMessage) {
    super(
        ErrorCode.CONFLICT,
        "conflict on "
            + subject
            + ": expected last sequence "
            + expected
            + " ("
            + serverMessage
            + ")");
    this.subject = subject;
    this.expected = expected;
  }

  public String subject() {
    return subject;
  }

  public long expected() {
    return expected;
  }
}
