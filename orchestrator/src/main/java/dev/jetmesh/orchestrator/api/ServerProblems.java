package dev.jetmesh.orchestrator.api;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.wire.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The errors Jetty answers before any route runs, in the API's one error shape ({@link Problems}):
 * a request line or headers too long (414, 431), a path it will not decode ({@code %00}, an
 * ambiguous {@code %2F}: 400). Jetty's own pages are HTML, which no client of this API parses; the
 * detail is the status's standard reason, never Jetty's internal text. Thread-safe.
 */
final class ServerProblems extends ErrorHandler {
  private static final HttpField TYPE =
      new HttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);

  /** Every method gets a body: a client of this API reads the code whatever it sent. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      @Nullable String message,
      @Nullable Throwable cause,
      Callback callback) {
    response.getHeaders().put(TYPE);
    response.write(true, body(status), callback);
  }

  private static ByteBuffer body(int status) {
    ErrorCode code = Problems.codeFor(status);
    String detail = HttpStatus.getMessage(status);
    return ByteBuffer.wrap(
        Problems.json(status, new Reply.Err(false, detail, code, null))
            .getBytes(StandardCharsets.UTF_8));
  }
}
