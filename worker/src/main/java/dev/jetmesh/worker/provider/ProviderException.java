package dev.jetmesh.worker.provider;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/** A provider cannot be used: unknown name, or a custom providers file that cannot be read. */
public final class ProviderException extends MeshException {
  public ProviderException(String message) {
    super(ErrorCode.INTERNAL, message);
  }

  public ProviderException(String message, Throwable cause) {
    super(ErrorCode.INTERNAL, message, cause);
  }
}
