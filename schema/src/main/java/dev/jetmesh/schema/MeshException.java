package dev.jetmesh.schema;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Root of every jetmesh failure. Subclasses are named after what failed; each carries an {@link
 * ErrorCode}. The message of a refusal ({@code !code().isFailure()}) is written for the caller and
 * is sent as is; the message of a failure may name internals and is only logged.
 */
public class MeshException extends RuntimeException {
  private final ErrorCode code;

  public MeshException(ErrorCode code, String message) {
    super(nonBlank(message, code));
    this.code = requireNonNull(code, "null code");
  }

  public MeshException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(nonBlank(message, code), cause);
    this.code = requireNonNull(code, "null code");
  }

  /** Never null: every constructor sets a message that is not blank. */
  @Override
  public String getMessage() {
    return requireNonNull(super.getMessage(), "message set by the constructor");
  }

  /** What kind of error this is; programs branch on it. */
  public ErrorCode code() {
    return code;
  }

  // No error may reach a caller without text: an empty message falls back to the code's name.
  private static String nonBlank(String message, ErrorCode code) {
    return message == null || message.isBlank() ? String.valueOf(code) : message;
  }
}
