package dev.jetmesh.orchestrator.api;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.config.HttpSettings;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API on {@code MESH_HTTP_PORT}: {@code /health} (alive), {@code /ready} (reads are
 * current), {@code /metrics} (Prometheus), {@code /openapi.json} (the document of every route),
 * {@code /api/events} (server-sent events), and the read routes each module adds through {@link
 * MeshModule#http}. Every body is written with the one snake_case mapper ({@link Json}); every
 * error, Javalin's own 404 and 405 included, is problem+json ({@link Problems}). With {@code
 * MESH_API_TOKEN} set every route but {@code /health} needs the bearer token; without it the server
 * binds to loopback only (unless {@code MESH_HTTP_HOST} says otherwise) and logs so once. Requests
 * run on virtual threads. Thread-safe.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final String OPENAPI = "openapi.json";

  /**
   * One registered route: an HTTP method and a Javalin path such as {@code /api/tasks/{task_id}}.
   */
  public record Route(String method, String path) {}

  /** The server could not listen on its address: one line that names the settings to change. */
  public static final class BindFailedException extends MeshException {
    BindFailedException(String message, Throwable cause) {
      super(ErrorCode.UNAVAILABLE, message, cause);
    }
  }

  private final HttpSettings settings;
  private final Supplier<Map<String, Object>> health;
  private final Readiness readiness;
  private final PrometheusMeterRegistry meters;
  private final List<MeshModule> modules;
  private final EventStream events;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private @Nullable Javalin app;

  /**
   * @param health the {@code /health} body; its boolean {@code ok} decides the status
   */
  public HttpApi(
      HttpSettings settings,
      Supplier<Map<String, Object>> health,
      Readiness readiness,
      PrometheusMeterRegistry meters,
      List<MeshModule> modules,
      EventLog eventLog,
      Watermark watermark) {
    this.settings = requireNonNull(settings, "null settings");
    this.health = requireNonNull(health, "null health");
    this.readiness = requireNonNull(readiness, "null readiness");
    this.meters = requireNonNull(meters, "null meters");
    this.modules = List.copyOf(modules);
    this.events = new EventStream(eventLog, watermark, settings.maxStreams(), settings.keepAlive());
  }

  /**
   * Listens on {@link HttpSettings#bindHost()} and {@code port} (0: a free one).
   *
   * @throws BindFailedException when the address is taken or cannot be used
   */
  public void start(int port) {
    String host = settings.bindHost();
    Javalin a = Javalin.create(this::configure);
    try {
      a.start(host, port);
    } catch (RuntimeException e) {
      a.stop();
      throw new BindFailedException(
          "cannot serve HTTP on "
              + host
              + ":"
              + port
              + " (MESH_HTTP_HOST, MESH_HTTP_PORT): "
              + Causes.rootMessage(e)
              + (port == 0 ? "" : "; choose a free port with MESH_HTTP_PORT"),
          e);
    }
    app = a;
    if (settings.apiToken() == null) {
      LOG.warn(
          settings.host() == null
              ? "MESH_API_TOKEN is not set: the HTTP API listens on {} only (set MESH_API_TOKEN to"
                  + " serve other hosts)"
              : "MESH_API_TOKEN is not set: the HTTP API on {} is open to anyone who can reach it",
          host);
    }
  }

  private void configure(JavalinConfig cfg) {
    cfg.concurrency.useVirtualThreads = true;
    cfg.startup.showJavalinBanner = false;
    cfg.http.prefer405over404 = true;
    cfg.jsonMapper(new JavalinJackson(Json.mapper(), true));
    cfg.events.handlerAdded(
        h -> {
          if (h.getHttpMethod().isHttpMethod() && !DashboardFiles.ROUTES.contains(h.getPath())) {
            routes.add(new Route(h.getHttpMethod().name(), h.getPath()));
          }
        });
    if (settings.apiToken() != null) {
      Set<String> open = new HashSet<>(DashboardFiles.PATHS); // the page asks for the token
      open.add("/health");
      cfg.routes.before(new BearerAuth(settings.apiToken(), open, Set.of(EventStream.PATH)));
    }
    cfg.routes.get("/health", ctx -> status(ctx, health.get()));
    cfg.routes.get("/ready", ctx -> status(ctx, readiness.check()));
    cfg.routes.get(
        "/metrics",
        ctx -> {
          QueryParams.of(ctx); // like every route: a parameter it does not know is refused
          ctx.contentType("text/plain; version=0.0.4").result(meters.scrape());
        });
    cfg.routes.get("/openapi.json", this::openapi);
    cfg.routes.get(EventStream.PATH, events);
    cfg.routes.exception(MeshException.class, (e, ctx) -> Problems.of(ctx, e));
    cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Problems.javalin(ctx, e));
    cfg.routes.exception(Exception.class, (e, ctx) -> Problems.unexpected(ctx, e));
    // What Jetty refuses before any route runs (a URI or headers too long, a path it will not
    // decode) is problem+json too, not Jetty's HTML page.
    ServerProblems serverProblems = new ServerProblems();
    cfg.jetty.modifyServer(server -> server.setErrorHandler(serverProblems));
    cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(serverProblems));
    modules.forEach(m -> m.http(cfg));
    DashboardFiles.register(cfg.routes);
  }

  /** 200 when the body's {@code ok} is true, else 503; the body either way. */
  private static void status(Context ctx, Map<String, ?> body) {
    QueryParams.of(ctx);
    ctx.status(
        Boolean.TRUE.equals(body.get("ok")) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    ctx.json(body);
  }

  private void openapi(Context ctx) throws IOException {
    QueryParams.of(ctx);
    try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI)) {
      ctx.contentType("application/json").result(requireNonNull(in, OPENAPI).readAllBytes());
    }
  }

  /**
   * Every API route registered, the modules' included, in registration order; the dashboard's page
   * and files ({@link DashboardFiles}) are not part of the API.
   */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  public int port() {
    return app == null ? -1 : app.port();
  }

  /** The address the server listens on. */
  public String host() {
    return settings.bindHost();
  }

  @Override
  public void close() {
    events.close();
    if (app != null) {
      app.stop();
    }
  }
}
