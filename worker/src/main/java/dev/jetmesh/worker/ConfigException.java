package dev.jetmesh.worker;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/** The worker cannot start with this configuration; the message is one line for an operator. */
public final class ConfigException extends MeshException {
  public ConfigException(String message) {
    super(ErrorCode.INVALID_REQUEST, message);
  }
}
