package dev.jetmesh.orchestrator.module;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.wire.MeshBus;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link MeshModule} may use of the running orchestrator. Modules are built in their
 * registration order; the task module {@link #provideTasks provides} the {@link TaskPort} that the
 * modules after it use, and the node module {@link #provideNodes provides} the {@link NodePort}.
 * Thread-safe.
 */
public final class MeshContext {
  private final OrchestratorConfig config;
  private final MeshBus bus;
  private final EventStore store;
  private final Database db;
  private final Clock clock;
  private final Watermark watermark;
  private final AtomicReference<@Nullable TaskPort> tasks = new AtomicReference<>();
  private final AtomicReference<@Nullable NodePort> nodes = new AtomicReference<>();

  public MeshContext(
      OrchestratorConfig config,
      MeshBus bus,
      EventStore store,
      Database db,
      Clock clock,
      Watermark watermark) {
    this.config = requireNonNull(config, "null config");
    this.bus = requireNonNull(bus, "null bus");
    this.store = requireNonNull(store, "null store");
    this.db = requireNonNull(db, "null db");
    this.clock = requireNonNull(clock, "null clock");
    this.watermark = requireNonNull(watermark, "null watermark");
  }

  public OrchestratorConfig config() {
    return config;
  }

  /** Core NATS: notifications and alive checks (never the event stream: that is {@link #store}). */
  public MeshBus bus() {
    return bus;
  }

  public EventStore store() {
    return store;
  }

  public Database db() {
    return db;
  }

  public Clock clock() {
    return clock;
  }

  /** How far every read model has projected. */
  public Watermark watermark() {
    return watermark;
  }

  /** Called once, by the module that owns tasks. */
  public void provideTasks(TaskPort port) {
    if (!tasks.compareAndSet(null, requireNonNull(port, "null port"))) {
      throw new IllegalStateException("a TaskPort is already provided");
    }
  }

  /** Called once, by the module that owns nodes. */
  public void provideNodes(NodePort port) {
    if (!nodes.compareAndSet(null, requireNonNull(port, "null port"))) {
      throw new IllegalStateException("a NodePort is already provided");
    }
  }

  /**
   * How other aggregates ask about nodes; {@link NodePort#NONE} while no module provides one. Ask
   * it when needed, not at construction: the node module is built after the task module.
   */
  public NodePort nodes() {
    NodePort p = nodes.get();
    return p == null ? NodePort.NONE : p;
  }

  /** How other aggregates act on tasks. */
  public TaskPort tasks() {
    TaskPort p = tasks.get();
    if (p == null) {
      throw new IllegalStateException("no TaskPort: register the task module first");
    }
    return p;
  }
}
