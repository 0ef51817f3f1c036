package dev.jetmesh.schema.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jetmesh.schema.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * The reference's reply envelope: {@code {"ok":true,"data":X}} (X may be null) or {@code
 * {"ok":false,"error":"...","code":"NOT_FOUND"}}, with no {@code data} field on errors. The
 * reference's clients read {@code error}; jetmesh adds {@code code} (an {@link ErrorCode} name) for
 * programs, and {@code error_id} on our failures, the id under which the failure was logged.
 */
public sealed interface Reply {
  boolean ok();

  /** A success; {@code data} is always written, null included. */
  record Ok(boolean ok, @Nullable Object data) implements Reply {}

  /** A refusal or failure: a message that is never blank, its code, and for failures the log id. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Err(boolean ok, String error, ErrorCode code, @Nullable String errorId) implements Reply {}

  static Reply ok(@Nullable Object data) {
    return new Ok(true, data);
  }

  static Reply error(ErrorCode code, String message) {
    return new Err(false, message, code, null);
  }

  /** A failure on our side, logged under {@code errorId}. */
  static Reply failure(ErrorCode code, String message, String errorId) {
    return new Err(false, message, code, errorId);
  }
}
