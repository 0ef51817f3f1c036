package dev.jetmesh.orchestrator.api;

import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.wire.ErrorReplies;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.wire.Reply;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP API: {@code GET /health} (200 when the health body says {@code ok}, 503 otherwise, with
 * the reason), {@code GET /metrics} (Prometheus text) and every module's routes. Whatever a route
 * throws becomes an RFC 7807 problem+json body with the error code ({@link ErrorReplies} decides
 * what a caller may read). Requests run on virtual threads.
 */
public final class HttpApi implements AutoCloseable {
  /** The problem type URIs: one per error code, under this prefix. */
  public static final String PROBLEM_TYPE = "https://jetmesh.dev/problems/";

  private final Supplier<Map<String, Object>> health;
  private final PrometheusMeterRegistry meters;
  private final List<MeshModule> modules;
  private @Nullable Javalin app;

  /**
   * @param health the {@code /health} body; its boolean {@code ok} decides the status
   */
  public HttpApi(
      Supplier<Map<String, Object>> health,
      PrometheusMeterRegistry meters,
      List<MeshModule> modules) {
    this.health = health;
    this.meters = meters;
    this.modules = List.copyOf(modules);
  }

  public void start(int port) {
    app =
        Javalin.create(
            cfg -> {
              cfg.concurrency.useVirtualThreads = true;
              cfg.startup.showJavalinBanner = false;
              cfg.routes.get(
                  "/health",
                  ctx -> {
                    Map<String, Object> body = health.get();
                    ctx.status(
                        Boolean.TRUE.equals(body.get("ok"))
                            ? HttpStatus.OK
                            : HttpStatus.SERVICE_UNAVAILABLE);
                    ctx.json(body);
                  });
              cfg.routes.get(
                  "/metrics",
                  ctx -> ctx.contentType("text/plain; version=0.0.4").result(meters.scrape()));
              cfg.routes.exception(
                  MeshException.class,
                  (e, ctx) -> problem(ctx, ErrorReplies.of(e, ctx.method() + " " + ctx.path())));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) ->
                      problem(ctx, ErrorReplies.unexpected(e, ctx.method() + " " + ctx.path())));
              modules.forEach(m -> m.http(cfg));
              DashboardFiles.register(cfg.routes);
            });
    app.start("0.0.0.0", port);
  }

  /** Writes {@code err} as an RFC 7807 problem: type, title (the code), status, detail. */
  static void problem(Context ctx, Reply.Err err) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", PROBLEM_TYPE + err.code().name().toLowerCase(java.util.Locale.ROOT));
    body.put("title", err.code().name());
    body.put("status", err.code().httpStatus());
    body.put("detail", err.error());
    body.put("code", err.code().name());
    if (err.errorId() != null) {
      body.put("error_id", err.errorId());
    }
    ctx.status(err.code().httpStatus()).contentType("application/problem+json");
    ctx.result(dev.jetmesh.schema.Json.mapper().valueToTree(body).toString());
  }

  public int port() {
    return app == null ? -1 : app.port();
  }

  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }
}
