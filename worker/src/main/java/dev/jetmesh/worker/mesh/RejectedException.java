package dev.jetmesh.worker.mesh;

import dev.jetmesh.schema.MeshException;

/**
 * The orchestrator answered {@code {"ok":false,"error":...}}: the command was refused (not the
 * owner, wrong token, unknown task, ...). The message is the orchestrator's error string.
 */
public final class RejectedException extends MeshException {
  public RejectedException(String message) {
    super(message);
  }
}
