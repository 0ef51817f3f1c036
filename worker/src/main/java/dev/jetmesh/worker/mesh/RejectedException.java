package dev.jetmesh.worker.mesh;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/**
 * The orchestrator answered {@code {"ok":false,"error":...}}: the command was refused (not the
 * owner, wrong token, unknown task, ...). The message is the orchestrator's error string; the code
 * is its {@code code} field (programs branch on it), {@link ErrorCode#CONFLICT} from an
 * orchestrator that sends none.
 */
public final class RejectedException extends MeshException {
  public RejectedException(ErrorCode code, String message) {
    super(code, message);
  }
}
