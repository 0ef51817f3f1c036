package dev.jetmesh.orchestrator.aggregate;

import dev.jetmesh.schema.MeshException;

/** A decider refused a command; the message goes to the client verbatim. */
public final class CommandRejectedException extends MeshException {
  public CommandRejectedException(String message) {
    super(message);
  }
}
