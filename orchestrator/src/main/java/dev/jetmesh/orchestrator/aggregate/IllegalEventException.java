package dev.jetmesh.orchestrator.aggregate;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/**
 * An event that cannot follow the state it is folded into (a claim of an unknown task, a session
 * created twice). The stream is the truth, so this is our failure, never the caller's: the
 * projector parks the event and the command side refuses to decide on such a state.
 */
public final class IllegalEventException extends MeshException {
  public IllegalEventException(String message) {
    super(ErrorCode.INTERNAL, message);
  }
}
