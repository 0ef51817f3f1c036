package dev.jetmesh.orchestrator.api;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Serves the dashboard, static files packaged in the jar under {@code dashboard/}: {@code GET /} is
 * its page, {@code GET /dashboard/{file}} its scripts and styles. Two exact routes, so nothing
 * under {@code /api}, {@code /health}, {@code /ready}, {@code /metrics} or {@code /openapi.json} is
 * shadowed. Only the files listed in {@link #FILES} are served, so no request can reach another
 * resource of the class path. Thread-safe: files are cached in a concurrent map once read.
 */
public final class DashboardFiles {
  private static final String ROOT = "/dashboard/";

  /** The scripts, styles and images of the page ({@code DashboardFilesTest} checks the list). */
  static final List<String> FILES =
      List.of(
          "api.js",
          "app.js",
          "board.js",
          "collab.js",
          "dom.js",
          "live.js",
          "nodes.js",
          "plan.js",
          "task.js",
          "style.css",
          "icon.svg");

  /** The routes this class registers, as Javalin names them. */
  static final Set<String> ROUTES = Set.of("/", ROOT + "{file}");

  /**
   * Every path this class serves: the page and its files hold no data, so they are served without
   * the API token (the page asks for it).
   */
  public static final Set<String> PATHS = paths();

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
        ROOT + "{file}",
        ctx -> {
          String file = ctx.pathParam("file");
          if (!FILES.contains(file)) {
            throw notFound(file);
          }
          send(ctx, file, file.substring(file.lastIndexOf('.') + 1));
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

  private static Set<String> paths() {
    Set<String> out = new LinkedHashSet<>();
    out.add("/");
    FILES.forEach(f -> out.add(ROOT + f));
    return Collections.unmodifiableSet(out);
  }

  private static MeshException notFound(String file) {
    return new MeshException(ErrorCode.NOT_FOUND, "No dashboard file " + file);
  }
}
