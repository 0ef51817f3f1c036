package dev.jetmesh.orchestrator.api;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Serves the dashboard, static files packaged in the jar under {@code dashboard/}: {@code GET /} is
 * its page, {@code GET /dashboard/{file}} its scripts and styles. Two exact routes, so nothing
 * under {@code /api}, {@code /health}, {@code /ready}, {@code /metrics} or {@code /openapi.json} is
 * shadowed. A file name must be one plain name with a known extension, so no request can reach
 * another resource of the class path. Thread-safe: files are cached in a concurrent map once read.
 */
public final class DashboardFiles {
  private static final String ROOT = "/dashboard/";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*\\.(js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  /**
   * The page may load only this origin's scripts, styles and API: nothing from the internet, and no
   * inline script a hostile task title could smuggle in.
   */
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

  private DashboardFiles() {}

  /** Adds {@code GET /} and {@code GET /dashboard/{file}}. */
  public static void register(RoutesConfig routes) {
    routes.get("/", ctx -> send(ctx, "index.html", "html"));
    routes.get(
        "/dashboard/{file}",
        ctx -> {
          String file = ctx.pathParam("file");
          Matcher m = NAME.matcher(file);
          if (!m.matches()) {
            throw notFound(file);
          }
          send(ctx, file, m.group(1));
        });
  }

  private static void send(Context ctx, String file, String ext) {
    byte[] body = CACHE.computeIfAbsent(file, DashboardFiles::read);
    if (body.length == 0) {
      CACHE.remove(file);
      throw notFound(file);
    }
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream")).result(body);
  }

  /** The file's bytes, or none when the jar has no such file. */
  private static byte[] read(String file) {
    try (@Nullable InputStream in = DashboardFiles.class.getResourceAsStream(ROOT + file)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MeshException notFound(String file) {
    return new MeshException(ErrorCode.NOT_FOUND, "No dashboard file " + file);
  }
}
