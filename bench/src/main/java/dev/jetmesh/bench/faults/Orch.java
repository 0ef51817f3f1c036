package dev.jetmesh.bench.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One orchestrator process, started as users start it ({@code java -jar jetmesh-orchestrator.jar
 * serve}), with its HTTP port for {@code /health}, {@code /ready} and {@code /metrics}. Not
 * thread-safe.
 */
final class Orch {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Proc proc;
  private final int httpPort;

  Orch(Proc proc, int httpPort) {
    this.proc = proc;
    this.httpPort = httpPort;
  }

  Proc proc() {
    return proc;
  }

  /** Waits until {@code /health} answers 200; false when it did not within {@code ms}. */
  boolean awaitHealthy(long ms) {
    return Sleep.until(
        ms,
        () -> {
          if (!proc.alive()) {
            throw new IllegalStateException("orchestrator exited:\n" + proc.tail(30));
          }
          return status("/health") == 200;
        });
  }

  /** The HTTP status of {@code path}, or -1 when nothing answered. */
  int status(String path) {
    HttpResponse<String> r = get(path);
    return r == null ? -1 : r.statusCode();
  }

  /** The projector's state as {@code /health} gives it ({@code running}, {@code standby}, …). */
  String projectorState() {
    String body = body("/health");
    try {
      return body.isEmpty() ? "" : Wire.JSON.readTree(body).path("projector").asText();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The body of {@code path}, or empty when nothing answered. */
  String body(String path) {
    HttpResponse<String> r = get(path);
    return r == null ? "" : r.body();
  }

  private @org.jspecify.annotations.Nullable HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
              .timeout(Duration.ofSeconds(2))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
