package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/**
 * The mesh answered, and said no: an error reply on the wire or a problem+json answer of the read
 * API, with its code. Exit code 1, or 3 for {@link ErrorCode#UNAVAILABLE} (the mesh cannot serve
 * now: a dependency is down or the projection is behind).
 */
final class RefusedException extends MeshException {
  RefusedException(ErrorCode code, String message) {
    super(code, message);
  }
}
