package dev.jetmesh.orchestrator.aggregate;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/** A command was refused (the caller's fault); the message goes to the client verbatim. */
public final class CommandRejectedException extends MeshException {
  public CommandRejectedException(ErrorCode code, String message) {
    super(code, message);
  }
}
