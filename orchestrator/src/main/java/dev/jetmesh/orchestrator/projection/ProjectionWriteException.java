package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.sql.SQLException;

/** A write of a projection failed; the projector decides whether it is transient or poison. */
public final class ProjectionWriteException extends MeshException {
  public ProjectionWriteException(String table, SQLException e) {
    super(ErrorCode.INTERNAL, "cannot write " + table + ": " + e.getMessage(), e);
  }
}
