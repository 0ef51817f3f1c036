package dev.jetmesh.orchestrator.store;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import org.jspecify.annotations.Nullable;

/** JetStream failed or did not answer; the outcome of an append may be unknown. */
public final class EventStoreException extends MeshException {
  public EventStoreException(String message, @Nullable Throwable cause) {
    super(ErrorCode.UNAVAILABLE, message, cause);
  }
}
