package dev.jetmesh.orchestrator;

import dev.jetmesh.orchestrator.api.HttpApi;
import dev.jetmesh.orchestrator.collab.CollabModule;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.plan.PlanModule;
import dev.jetmesh.orchestrator.projection.Projector;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.task.ClaimIndex;
import dev.jetmesh.orchestrator.task.ClaimService;
import dev.jetmesh.orchestrator.task.TaskCommandHandler;
import dev.jetmesh.orchestrator.task.TaskNotifier;
import dev.jetmesh.orchestrator.task.TaskQueries;
import dev.jetmesh.orchestrator.task.TaskRoutes;
import dev.jetmesh.orchestrator.task.TaskTimers;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running orchestrator: connects to NATS and Postgres, sets up the stream and the schema, and
 * starts the projector, the timers, the request routes and the HTTP API. Several may run against
 * the same stream and database. {@link #close()} stops everything in reverse order.
 */
public final class Orchestrator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

  /** NATS could not be reached. */
  public static final class NatsUnavailableException extends MeshException {
    public NatsUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final OrchestratorConfig config;
  private final Connection nc;
  private final Database db;
  private final EventStore store;
  private final Watermark watermark = new Watermark();
  private final Projector projector;
  private final ClaimIndex claimIndex = new ClaimIndex();
  private final TaskCommandHandler tasks;
  private final TaskQueries taskQueries;
  private final TaskTimers timers;
  private final RequestRouter router;
  private final HttpApi http;
  private final List<MeshModule> modules;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sweeper").daemon().factory());
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private Orchestrator(OrchestratorConfig config, Connection nc, Database db) {
    this.config = config;
    this.nc = nc;
    this.db = db;
    Clock clock = Clock.systemUTC();
    this.store = new EventStore(nc, config.stream());
    store.ensureStream();
    db.migrate();
    TaskNotifier notifier = new TaskNotifier(nc);
    this.tasks = new TaskCommandHandler(store, clock, notifier);
    this.taskQueries = new TaskQueries(db);
    this.projector =
        new Projector(nc, config.stream(), db, watermark, claimIndex, config.projectorBatch());
    ClaimService claims = new ClaimService(taskQueries, claimIndex, tasks, watermark);
    this.timers =
        new TaskTimers(
            taskQueries, tasks, nc, clock, config.stallThreshold(), config.aliveTimeout());
    this.router = new RequestRouter(nc, config.maxRequestBytes(), meters);
    MeshContext ctx =
        new MeshContext(
            config, nc, store, db, clock, watermark, tasks, taskQueries, projector::committedTask);
    CollabModule collab = new CollabModule(ctx);
    this.modules = List.of(collab, new PlanModule(ctx));
    new TaskRoutes(tasks, claims, taskQueries, notifier, store, watermark, clock, collab::submitted)
        .register(router);
    for (MeshModule m : modules) {
      m.register(router);
      projector.addListener(m::afterCommit);
    }
    this.http = new HttpApi(this, meters, modules);
  }

  /**
   * Connects and starts. Fails with a {@link MeshException} whose message is one clear line when
   * NATS or Postgres cannot be reached.
   */
  public static Orchestrator start(OrchestratorConfig config) {
    Connection nc = connectNats(config.natsUrl());
    Database db = null;
    try {
      db = Database.connect(config.dbUrl(), config.dbUser(), config.dbPassword(), 16);
      Orchestrator o = new Orchestrator(config, nc, db);
      o.projector.start();
      o.timers.start(config.budgetInterval(), config.stallInterval());
      List<String> subjects = new ArrayList<>(List.of(Subjects.TASKS_ALL));
      o.modules.forEach(m -> subjects.addAll(m.subscriptions()));
      o.router.start(subjects.toArray(String[]::new));
      var unused =
          o.sweeper.scheduleWithFixedDelay(
              o::sweep,
              config.sweepInterval().toMillis(),
              config.sweepInterval().toMillis(),
              TimeUnit.MILLISECONDS);
      o.http.start(config.httpPort());
      LOG.info(
          "jetmesh orchestrator serving on {} (stream {}), database {}, http :{}",
          config.natsUrl(),
          config.stream(),
          config.dbUrl(),
          o.http.port());
      return o;
    } catch (RuntimeException e) {
      if (db != null) {
        db.close();
      }
      try {
        nc.close();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
  }

  static Connection connectNats(String url) {
    Options opts =
        Options.builder()
            .server(url)
            .connectionName("jetmesh-orchestrator")
            .connectionTimeout(Duration.ofSeconds(5))
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(1))
            .errorListener(new io.nats.client.ErrorListener() {})
            .build();
    try {
      return Nats.connect(opts);
    } catch (IOException e) {
      throw new NatsUnavailableException(
          "cannot connect to NATS at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsUnavailableException("interrupted while connecting to NATS at " + url, e);
    }
  }

  /** Runs every module's sweep; a failure is logged and the next run tries again. */
  private void sweep() {
    if (projector.state() != Projector.State.RUNNING) {
      return; // decisions come from the read model: only the projecting orchestrator sweeps
    }
    for (MeshModule m : modules) {
      try {
        m.sweep();
      } catch (RuntimeException e) {
        LOG.warn("{} sweep failed: {}", m.getClass().getSimpleName(), e.toString());
      }
    }
  }

  public OrchestratorConfig config() {
    return config;
  }

  public Projector projector() {
    return projector;
  }

  public Watermark watermark() {
    return watermark;
  }

  /** The in-memory claim index; live while this process's projector runs. */
  public ClaimIndex claimIndex() {
    return claimIndex;
  }

  public EventStore store() {
    return store;
  }

  public Database database() {
    return db;
  }

  public TaskCommandHandler tasks() {
    return tasks;
  }

  public TaskTimers timers() {
    return timers;
  }

  public int httpPort() {
    return http.port();
  }

  public boolean natsConnected() {
    return nc.getStatus() == Connection.Status.CONNECTED;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    http.close();
    try {
      router.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.close();
    modules.forEach(MeshModule::close);
    try {
      projector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
  }
}
