package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/** The projector stopped on purpose: a poison event, a gap, or a stream behind the read model. */
public class ProjectorHaltedException extends MeshException {
  public ProjectorHaltedException(String message) {
    super(ErrorCode.UNAVAILABLE, message);
  }

  public ProjectorHaltedException(String message, Throwable cause) {
    super(ErrorCode.UNAVAILABLE, message, cause);
  }
}
