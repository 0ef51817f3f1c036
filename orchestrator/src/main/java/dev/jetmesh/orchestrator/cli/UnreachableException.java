package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/** Nothing answered: NATS or the read API cannot be reached, or no orchestrator replied. Exit 3. */
final class UnreachableException extends MeshException {
  UnreachableException(String message) {
    super(ErrorCode.UNAVAILABLE, message);
  }
}
