package dev.jetmesh.worker.provider.usage;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/**
 * A price table that cannot be used: unreadable, not valid JSON, or not of the documented shape.
 */
public final class PriceTableException extends MeshException {
  public PriceTableException(String message) {
    super(ErrorCode.INVALID_REQUEST, message);
  }

  public PriceTableException(String message, Throwable cause) {
    super(ErrorCode.INVALID_REQUEST, message, cause);
  }
}
