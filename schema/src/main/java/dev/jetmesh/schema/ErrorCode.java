package dev.jetmesh.schema;

/**
 * The stable code of every error jetmesh reports: in wire replies ({@code "code"} beside the
 * reference's {@code "error"} text), in HTTP problem+json bodies, and in the exit of the CLI.
 * Programs branch on the code, never on the message. A <em>refusal</em> is the caller's fault and
 * its message is written for the caller; a <em>failure</em> is ours: its details are logged under
 * an error id that the reply carries, and the caller sees only a generic message.
 */
public enum ErrorCode {
  /** Malformed: not JSON, a missing or wrong-typed field, an invalid id or value, too large. */
  INVALID_REQUEST(400, false),
  /** The caller must authenticate (or its credentials are forged or expired). */
  UNAUTHORIZED(401, false),
  /** The caller acts on something it does not hold (another node's task or seat). */
  NOT_OWNER(403, false),
  /** No such task, session, plan or node. */
  NOT_FOUND(404, false),
  /** Created already under that id. */
  ALREADY_EXISTS(409, false),
  /** The node already holds an active task. */
  ALREADY_ACTIVE(409, false),
  /** The claim token is no longer the task's: the task was released and claimed again. */
  STALE_TOKEN(409, false),
  /** The aggregate's state does not allow the command (e.g. completing a queued task). */
  CONFLICT(409, false),
  /**
   * The task has spent its {@code budget_usd}: no further attempt may start (a worker stops on it).
   * Also the code of every command on a task that failed for its money budget.
   */
  BUDGET_EXCEEDED(409, false),
  /** A dependency (NATS, Postgres, the projector) is down or behind: try again later. */
  UNAVAILABLE(503, true),
  /** A bug or an unexpected failure on our side. */
  INTERNAL(500, true);

  private final int httpStatus;
  private final boolean failure;

  ErrorCode(int httpStatus, boolean failure) {
    this.httpStatus = httpStatus;
    this.failure = failure;
  }

  /** The HTTP status of a problem+json response with this code. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * True for our failures ({@link #UNAVAILABLE}, {@link #INTERNAL}): logged with an error id, and
   * their internal message never reaches the caller. False for refusals.
   */
  public boolean isFailure() {
    return failure;
  }
}
