package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The read API (docs/api.md, API-CONTRACT) for the CLI: GETs that answer JSON, list pages followed
 * by cursor, and the event stream. A problem+json answer becomes a {@link RefusedException} with
 * its code; a connection that fails, an {@link UnreachableException}. Thread-safe.
 */
final class ReadApi {
  private static final Duration CONNECT = Duration.ofSeconds(5);
  private static final Duration REQUEST = Duration.ofSeconds(30);

  private final String base;
  private final @Nullable String token;
  private final HttpClient http;

  ReadApi(String base, @Nullable String token) {
    this.base = base;
    this.token = token;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT);
    if (base.startsWith("http://")) {
      b.sslContext(noTls());
    }
    this.http = b.build();
  }

  /**
   * A TLS context with no trust material, for an API served over plain http. A client built without
   * one sets up the default context at once (the trust store read and parsed: a third of a short
   * command's CPU), although an http:// URL never uses it.
   */
  private static SSLContext noTls() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(new KeyManager[0], new TrustManager[0], null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is part of every JDK", e);
    }
  }

  String base() {
    return base;
  }

  /** {@code GET path?query} (null values left out): the JSON answer. */
  JsonNode get(String path, Map<String, ?> query) {
    HttpRequest req =
        request(path, query).timeout(REQUEST).header("Accept", "application/json").build();
    HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      byte[] bytes = body.readAllBytes();
      if (r.statusCode() >= 400) {
        throw refused(req, r.statusCode(), bytes);
      }
      return CliJson.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UnreachableException("reading " + req.uri() + " failed: " + e.getMessage());
    }
  }

  /** {@code GET path?query} as text ({@code ?format=text} answers). */
  String text(String path, Map<String, ?> query) {
    HttpRequest req = request(path, query).timeout(REQUEST).build();
    HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() >= 400) {
      throw refused(req, r.statusCode(), r.body());
    }
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /**
   * The items of a list, page after page, until {@code limit} items or the last page: {@code
   * {"items":[...],"next_cursor":...}} with {@code next_cursor} the cursor of the next page, or
   * null when there is none. {@code limit} 0: every page.
   */
  ObjectNode list(String path, Map<String, ?> query, int limit) {
    ArrayNode items = CliJson.mapper().createArrayNode();
    Map<String, Object> q = new LinkedHashMap<>(query);
    Object first = query.get("cursor");
    String cursor = first == null ? null : first.toString();
    do {
      int want = limit == 0 ? 500 : Math.min(500, limit - items.size());
      q.put("limit", want);
      q.put("cursor", cursor);
      JsonNode page = get(path, q);
      page.path("items").forEach(items::add);
      JsonNode next = page.path("next_cursor");
      cursor = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
    } while (cursor != null && (limit == 0 || items.size() < limit));
    ObjectNode out = CliJson.mapper().createObjectNode();
    out.set("items", items);
    out.put("next_cursor", cursor);
    return out;
  }

  /**
   * Opens {@code GET /api/events?query} as a stream of lines, resuming after {@code lastEventId}
   * when it is not null. The caller closes the stream.
   */
  Stream<String> events(Map<String, ?> query, @Nullable String lastEventId) {
    HttpRequest.Builder b = request("/api/events", query).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpRequest req = b.build();
    HttpResponse<Stream<String>> r = send(req, HttpResponse.BodyHandlers.ofLines());
    if (r.statusCode() >= 400) {
      StringBuilder sb = new StringBuilder();
      try (Stream<String> lines = r.body()) {
        lines.limit(200).forEach(l -> sb.append(l).append('\n'));
      }
      throw refused(req, r.statusCode(), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    return r.body();
  }

  private HttpRequest.Builder request(String path, Map<String, ?> query) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach(
        (k, v) -> {
          if (v != null) {
            q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
          }
        });
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + q)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(req, handler);
    } catch (IOException e) {
      throw new UnreachableException(
          "cannot reach the read API at "
              + base
              + " (MESH_API_URL): "
              + (e instanceof java.net.ConnectException
                  ? "connection refused"
                  : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while calling " + req.uri());
    }
  }

  /** A problem+json answer as its code and detail; anything else by its HTTP status. */
  private RefusedException refused(HttpRequest req, int status, byte[] body) {
    ErrorCode code = byStatus(status);
    String detail = null;
    try {
      JsonNode p = CliJson.mapper().readTree(body);
      if (p != null && p.isObject()) {
        code = codeOf(p.path("code").asText(), code);
        detail = p.hasNonNull("detail") ? p.get("detail").asText() : p.path("title").asText(null);
      }
    } catch (IOException e) {
      // not JSON: the status says enough
    }
    if (detail == null || detail.isBlank()) {
      detail = "GET " + req.uri().getPath() + " answered HTTP " + status;
    }
    if (code == ErrorCode.UNAUTHORIZED && token == null) {
      detail += " (set MESH_API_TOKEN)";
    }
    return new RefusedException(code, detail);
  }

  private static ErrorCode codeOf(String name, ErrorCode fallback) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return fallback;
  }

  static ErrorCode byStatus(int status) {
    return switch (status) {
      case 400 -> ErrorCode.INVALID_REQUEST;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.NOT_OWNER;
      case 404 -> ErrorCode.NOT_FOUND;
      case 409 -> ErrorCode.CONFLICT;
      case 502, 503, 504 -> ErrorCode.UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
    };
  }
}
