package dev.jetmesh.worker.git;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;

/** A git command failed; the message names the command and the end of its output. */
public final class GitException extends MeshException {
  public GitException(String message) {
    super(ErrorCode.INTERNAL, message);
  }
}
