package dev.jetmesh.schema.wire;

import org.jspecify.annotations.Nullable;

/**
 * The reference's reply envelope: {@code {"ok":true,"data":X}} (X may be null) or {@code
 * {"ok":false,"error":"..."}}, with no {@code data} field on errors.
 */
public sealed interface Reply {
  boolean ok();

  /** A success; {@code data} is always written, null included. */
  record Ok(boolean ok, @Nullable Object data) implements Reply {}

  /** A failure with its message. */
  record Err(boolean ok, String error) implements Reply {}

  static Reply ok(@Nullable Object data) {
    return new Ok(true, data);
  }

  static Reply error(String message) {
    return new Err(false, message);
  }
}
