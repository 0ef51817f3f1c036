package dev.jetmesh.orchestrator.api;

import dev.jetmesh.orchestrator.wire.ErrorReplies;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.wire.Reply;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every HTTP error as one RFC 7807 {@code application/problem+json} body: {@code type}, {@code
 * title}, {@code status}, {@code detail}, {@code code} and, for our own failures, {@code error_id}.
 * Our exceptions, anything unexpected, and Javalin's own 404 (no such route) and 405 (no such
 * method on a route) all come out in this one shape. Stateless.
 */
public final class Problems {
  /** The problem type URIs: one per error code, under this prefix. */
  public static final String TYPE = "https://jetmesh.dev/problems/";

  private Problems() {}

  /**
   * A refusal or failure thrown by a route ({@link ErrorReplies} decides what the caller reads).
   */
  static void of(Context ctx, MeshException e) {
    write(ctx, e.code().httpStatus(), ErrorReplies.of(e, where(ctx)));
  }

  /** Anything else a route threw: an internal failure, logged under an error id. */
  static void unexpected(Context ctx, Exception e) {
    write(ctx, ErrorCode.INTERNAL.httpStatus(), ErrorReplies.unexpected(e, where(ctx)));
  }

  /** Javalin's own refusals: no route (404), no such method on a route (405), a body too large. */
  static void javalin(Context ctx, HttpResponseException e) {
    int status = e.getStatus();
    ErrorCode code = codeFor(status);
    String detail =
        switch (status) {
          case 404 -> "No route " + ctx.method() + " " + ctx.path();
          case 405 -> "Method " + ctx.method() + " is not allowed on " + ctx.path();
          default -> e.getMessage() == null ? code.name() : e.getMessage();
        };
    write(ctx, status, new Reply.Err(false, detail, code, null));
  }

  /** The code of an error status that no route chose (Javalin's or the server's own). */
  static ErrorCode codeFor(int status) {
    return switch (status) {
      case 404 -> ErrorCode.NOT_FOUND;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 503 -> ErrorCode.UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
    };
  }

  /** A refusal with its own status, such as 503 for a stream over the limit. */
  static void refuse(Context ctx, int status, ErrorCode code, String detail) {
    write(ctx, status, new Reply.Err(false, detail, code, null));
  }

  private static void write(Context ctx, int status, Reply.Err err) {
    if (err.code() == ErrorCode.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"jetmesh\"");
    }
    ctx.status(status).contentType(CONTENT_TYPE);
    ctx.result(json(status, err));
  }

  /** The media type of every error body. */
  static final String CONTENT_TYPE = "application/problem+json";

  /** The problem+json body of {@code err} with {@code status}. */
  static String json(int status, Reply.Err err) {
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("type", TYPE + err.code().name().toLowerCase(Locale.ROOT));
    body.put("title", err.code().name());
    body.put("status", status);
    body.put("detail", err.error());
    body.put("code", err.code().name());
    if (err.errorId() != null) {
      body.put("error_id", err.errorId());
    }
    return Json.mapper().valueToTree(body).toString();
  }

  private static String where(Context ctx) {
    return ctx.method() + " " + ctx.path();
  }
}
