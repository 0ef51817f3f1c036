package dev.jetmesh.worker.mesh;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/**
 * A request got no usable answer: timeout, no responder, connection trouble or a reply that is not
 * the expected JSON. The outcome of the command is unknown.
 */
public final class UnavailableException extends MeshException {
  public UnavailableException(String message) {
    super(ErrorCode.UNAVAILABLE, message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(ErrorCode.UNAVAILABLE, message, cause);
  }
}
