package dev.jetmesh.orchestrator;

import dev.jetmesh.orchestrator.api.HttpApi;
import dev.jetmesh.orchestrator.api.Readiness;
import dev.jetmesh.orchestrator.collab.CollabModule;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.module.MeshContext;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.node.NodeModule;
import dev.jetmesh.orchestrator.plan.PlanModule;
import dev.jetmesh.orchestrator.projection.Batching;
import dev.jetmesh.orchestrator.projection.Checkpoints;
import dev.jetmesh.orchestrator.projection.DeferredIndexes;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.projection.Projector;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.ClaimIndex;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskModule;
import dev.jetmesh.orchestrator.task.TaskTimers;
import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.NatsInbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running orchestrator: connects to NATS and Postgres, sets up the stream and the schema, and
 * starts the projector, the timers, the request routes and the HTTP API. Several may run against
 * the same stream and database. {@link #close()} stops everything in reverse order.
 */
public final class Orchestrator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

  /**
   * Every aggregate, in registration order: adding one means adding its package and one line here.
   * The task module comes first: it provides the {@code TaskPort} the others use.
   */
  private static final List<Function<MeshContext, MeshModule>> MODULES =
      List.of(TaskModule::new, CollabModule::new, PlanModule::new, NodeModule::new);

  private final OrchestratorConfig config;
  private final Connection nc;

  /** The projector's own connection ({@link NatsConnections#FEED}). */
  private final Connection feedNc;

  private final Database db;
  private final EventStore store;
  private final Watermark watermark = new Watermark();
  private final Projector projector;
  private final List<MeshModule> modules;
  private final RequestRouter router;
  private final HttpApi http;
  private final Sweeper sweeper;
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Orchestrator(OrchestratorConfig config, Connection nc, Connection feedNc, Database db) {
    this.config = config;
    this.nc = nc;
    this.feedNc = feedNc;
    this.db = db;
    this.store = new EventStore(nc, config.stream());
    store.ensureStream();
    // Projections built for their declarations only: the modules' own read the migrated tables.
    DeferredIndexes.restoreThenMigrate(db, config.stream(), () -> projections(config, nc, db));
    MeshContext ctx =
        new MeshContext(config, new MeshBus(nc), store, db, Clock.systemUTC(), watermark);
    this.modules = MODULES.stream().map(m -> m.apply(ctx)).toList();
    this.projector =
        new Projector(
            new EventFeed(feedNc, config.stream(), "jetmesh-projector"),
            db,
            watermark,
            modules.stream().map(MeshModule::projection).toList(),
            new Batching(config.projectorBatch(), config.projectorLinger()));
    Map<String, Runnable> sweeps = new LinkedHashMap<>();
    for (MeshModule m : modules) {
      if (sweeps.put(m.getClass().getSimpleName(), m::sweep) != null) {
        throw new IllegalStateException("two modules named " + m.getClass().getSimpleName());
      }
    }
    // Only the projecting orchestrator sweeps: decisions come from the read model.
    this.sweeper = new Sweeper(sweeps, () -> projector.state() == Projector.State.RUNNING);
    this.router = new RequestRouter(nc, config.maxRequestBytes(), meters);
    // A halted projector names the event it stopped at: monitoring alerts on it without parsing
    // logs, and the value (not a label) carries the sequence, so no new time series appear.
    Gauge.builder("jetmesh.projector.halted.seq", this, Orchestrator::haltedAt)
        .description(
            "stream sequence of the event the projector halted at (the first it could not"
                + " project); 0 while it runs")
        .register(meters);
    for (MeshModule m : modules) {
      m.register(router);
      projector.addListener(m::afterCommit);
    }
    this.http =
        new HttpApi(
            config.http(),
            this::health,
            new Readiness(
                this::natsConnected,
                store::lastSequence,
                () -> Checkpoints.projectedThrough(db),
                projector::haltReason,
                config.http().readyMaxLag()),
            meters,
            modules,
            new EventLog(db),
            watermark);
  }

  /**
   * Connects and starts. Fails with a {@link MeshException} whose message is one clear line when
   * NATS or Postgres cannot be reached.
   */
  public static Orchestrator start(OrchestratorConfig config) {
    Connection nc = connectNats(config.natsUrl(), config.natsInboxPrefix());
    Connection feedNc = null;
    Database db = null;
    Orchestrator o = null;
    try {
      feedNc =
          NatsConnections.connect(config.natsUrl(), config.natsInboxPrefix(), NatsConnections.FEED);
      db = Database.connect(config.dbUrl(), config.dbUser(), config.dbPassword(), 16);
      o = new Orchestrator(config, nc, feedNc, db);
      // First: a port that is taken fails the start before anything runs or is logged.
      o.http.start(config.httpPort());
      o.projector.start();
      o.router.start(
          o.modules.stream().flatMap(m -> m.subscriptions().stream()).toArray(String[]::new));
      o.sweeper.start(config.sweepInterval());
      o.modules.forEach(MeshModule::start);
      // Once it all runs (a start that fails says only why), and before the line that says so.
      o.db.checkUpkeep();
      LOG.info(
          "jetmesh orchestrator serving on {} (stream {}), database {}, http {}:{}",
          NatsInbox.redact(config.natsUrl()),
          config.stream(),
          Database.redact(config.dbUrl()),
          o.http.host(),
          o.http.port());
      return o;
    } catch (RuntimeException e) {
      try {
        if (o != null) {
          o.close();
        } else {
          Connection feed = feedNc;
          Database pool = db;
          new ShutdownSteps()
              .then(
                  "database pool",
                  () -> {
                    if (pool != null) {
                      pool.close();
                    }
                  })
              .then(
                  "feed connection",
                  () -> {
                    if (feed != null) {
                      feed.close();
                    }
                  })
              .then("main connection", nc::close)
              .done();
        }
      } catch (RuntimeException closing) {
        e.addSuppressed(closing); // the start's own failure is the one to report
      }
      throw e;
    }
  }

  /**
   * Every module's projection, built as a running orchestrator builds them but with nothing
   * started, subscribed or led, writing through {@code db}: for {@code jetmesh rebuild}, which
   * projects in a process of its own.
   */
  public static List<Projection> projections(
      OrchestratorConfig config, Connection nc, Database db) {
    MeshContext ctx =
        new MeshContext(
            config,
            new MeshBus(nc),
            new EventStore(nc, config.stream()),
            db,
            Clock.systemUTC(),
            new Watermark());
    return MODULES.stream().map(m -> m.apply(ctx)).map(MeshModule::projection).toList();
  }

  /** Connects to NATS as the orchestrator's main connection; see {@link NatsConnections}. */
  public static Connection connectNats(String url, @Nullable String inboxPrefix) {
    return NatsConnections.connect(url, inboxPrefix, NatsConnections.MAIN);
  }

  public OrchestratorConfig config() {
    return config;
  }

  /** Whether the periodic sweeps have stopped for good (after {@link #close}). */
  boolean sweeperStopped() {
    return sweeper.stopped();
  }

  public Projector projector() {
    return projector;
  }

  public Watermark watermark() {
    return watermark;
  }

  /** The first event the halted projector did not project, or 0 while it has not halted. */
  private double haltedAt() {
    return projector.state() == Projector.State.HALTED ? watermark.current() + 1 : 0;
  }

  /** The module of type {@code type}. */
  public <M extends MeshModule> M module(Class<M> type) {
    return modules.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  /** The in-memory claim index; live while this process's projector runs. */
  public ClaimIndex claimIndex() {
    return module(TaskModule.class).claimIndex();
  }

  public EventStore store() {
    return store;
  }

  public Database database() {
    return db;
  }

  public TaskCommandHandler tasks() {
    return module(TaskModule.class).commands();
  }

  public TaskTimers timers() {
    return module(TaskModule.class).timers();
  }

  /** The {@code /health} body: {@code ok} while NATS is connected and the projector is not down. */
  Map<String, Object> health() {
    Map<String, Object> b = new LinkedHashMap<>();
    boolean natsUp = natsConnected();
    Projector.State s = projector.state();
    b.put(
        "ok",
        natsUp
            && (s == Projector.State.RUNNING
                || s == Projector.State.STANDBY
                || s == Projector.State.STARTING));
    b.put("nats", natsUp ? "connected" : "disconnected");
    b.put("stream", config.stream());
    b.put("projector", s.name().toLowerCase(Locale.ROOT));
    b.put("projected_seq", watermark.current());
    if (projector.haltReason() != null) {
      b.put("halt_reason", projector.haltReason());
    }
    return b;
  }

  public int httpPort() {
    return http.port();
  }

  /** The address the HTTP API listens on. */
  public String httpHost() {
    return http.host();
  }

  /** Every HTTP route, as registered. */
  public List<HttpApi.Route> httpRoutes() {
    return http.routes();
  }

  /** Whether both connections are up: requests, and the projector's feed. */
  public boolean natsConnected() {
    return nc.getStatus() == Connection.Status.CONNECTED
        && feedNc.getStatus() == Connection.Status.CONNECTED;
  }

  /**
   * Stops what takes work in first (the sweep, HTTP, NATS requests), so that nothing new starts
   * while the rest winds down; then the modules (their timers), the projector, and last what all of
   * them use: the connections and the pool. Every part is closed even when one before it throws;
   * the first failure is thrown afterwards ({@link ShutdownSteps}).
   */
  @Override
  public void close() {
    ShutdownSteps steps =
        new ShutdownSteps()
            .then("sweeper", sweeper::close)
            .then("http", http::close)
            .then("request router", router::close);
    for (MeshModule m : modules) {
      steps.then(m.getClass().getSimpleName(), m::close);
    }
    steps
        .then("projector", projector::close)
        .then("feed connection", feedNc::close)
        .then("main connection", nc::close)
        .then("database pool", db::close)
        .done();
  }
}
