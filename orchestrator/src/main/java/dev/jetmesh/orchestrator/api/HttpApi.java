package dev.jetmesh.orchestrator.api;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.projection.Projector;
import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /health} (200 when NATS is connected and the projector is running or standing by, 503
 * otherwise, with the reason) and {@code GET /metrics} (Prometheus text). Requests run on virtual
 * threads.
 */
public final class HttpApi implements AutoCloseable {
  private final Orchestrator orchestrator;
  private final PrometheusMeterRegistry meters;
  private @Nullable Javalin app;

  private final java.util.List<dev.jetmesh.orchestrator.MeshModule> modules;

  public HttpApi(
      Orchestrator orchestrator,
      PrometheusMeterRegistry meters,
      java.util.List<dev.jetmesh.orchestrator.MeshModule> modules) {
    this.orchestrator = orchestrator;
    this.meters = meters;
    this.modules = modules;
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
                    Map<String, Object> body = health();
                    ctx.status(
                        Boolean.TRUE.equals(body.get("ok"))
                            ? HttpStatus.OK
                            : HttpStatus.SERVICE_UNAVAILABLE);
                    ctx.json(body);
                  });
              cfg.routes.get(
                  "/metrics",
                  ctx -> ctx.contentType("text/plain; version=0.0.4").result(meters.scrape()));
              modules.forEach(m -> m.http(cfg));
            });
    app.start("0.0.0.0", port);
  }

  Map<String, Object> health() {
    Projector p = orchestrator.projector();
    Map<String, Object> b = new LinkedHashMap<>();
    boolean nats = orchestrator.natsConnected();
    Projector.State s = p.state();
    b.put(
        "ok",
        nats
            && (s == Projector.State.RUNNING
                || s == Projector.State.STANDBY
                || s == Projector.State.STARTING));
    b.put("nats", nats ? "connected" : "disconnected");
    b.put("stream", orchestrator.config().stream());
    b.put("projector", s.name().toLowerCase(java.util.Locale.ROOT));
    b.put("projected_seq", orchestrator.watermark().current());
    if (p.haltReason() != null) {
      b.put("halt_reason", p.haltReason());
    }
    return b;
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
