package dev.jetmesh.orchestrator.wire;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.wire.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a handler threw into a reply. A refusal (the caller's fault) is answered with its own
 * message and logged at debug level only. A failure (ours: a bug, NATS or Postgres down) is logged
 * with its stack under a fresh error id, and the caller gets the code, a generic message and that
 * id, never SQL, a stack or other internal text. Used by the wire router and the HTTP API alike.
 */
public final class ErrorReplies {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

  private ErrorReplies() {}

  /** The reply for a {@link MeshException} thrown while serving {@code where}. */
  public static Reply.Err of(MeshException e, String where) {
    if (!e.code().isFailure()) {
      LOG.debug("refused {}: {} {}", where, e.code(), e.getMessage());
      return new Reply.Err(false, e.getMessage(), e.code(), null);
    }
    return failure(e.code(), e, where);
  }

  /** The reply for anything else a handler threw: always an internal failure. */
  public static Reply.Err unexpected(Throwable e, String where) {
    return failure(ErrorCode.INTERNAL, e, where);
  }

  private static Reply.Err failure(ErrorCode code, Throwable e, String where) {
    String errorId = Ids.randomUuid().toString().substring(0, 8);
    LOG.error("{} on {} [error id {}]", code, where, errorId, e);
    return new Reply.Err(false, publicMessage(code, errorId), code, errorId);
  }

  /** What a caller reads of a failure: nothing internal, the id to quote to an operator. */
  static String publicMessage(ErrorCode code, String errorId) {
    return switch (code) {
      case UNAVAILABLE -> "Service unavailable, try again (error id " + errorId + ")";
      default -> "Internal error (error id " + errorId + ")";
    };
  }
}
