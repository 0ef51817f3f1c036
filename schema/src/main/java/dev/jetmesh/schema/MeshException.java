package dev.jetmesh.schema;

import org.jspecify.annotations.Nullable;

/**
 * Root of every jetmesh failure. Subclasses are named after what failed. The message of a {@code
 * MeshException} is safe to send to a client: it never carries a stack trace or internal state.
 */
public class MeshException extends RuntimeException {
  public MeshException(String message) {
    super(message);
  }

  public MeshException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Never null: every constructor takes one. */
  @Override
  public String getMessage() {
    return java.util.Objects.requireNonNull(super.getMessage());
  }
}
