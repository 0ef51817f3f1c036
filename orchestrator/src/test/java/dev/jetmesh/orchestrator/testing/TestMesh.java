package dev.jetmesh.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A private NATS server, a fresh database and an orchestrator, for one test class. Timer intervals
 * are short so that tests do not wait; pass overrides for anything else.
 */
public final class TestMesh implements AutoCloseable {
  private final TestNats nats;
  private final TestDatabase db;
  private final Map<String, String> env;
  private Orchestrator orchestrator;

  private TestMesh(TestNats nats, TestDatabase db, Map<String, String> overrides) {
    this.nats = nats;
    this.db = db;
    this.env = new HashMap<>();
    env.put("MESH_NATS_URL", nats.url());
    env.put("MESH_DB_URL", db.url());
    env.put("MESH_DB_USER", db.user());
    env.put("MESH_DB_PASSWORD", db.password());
    env.put("MESH_HTTP_PORT", "0");
    env.put("MESH_BUDGET_CHECK_SECONDS", "0.2");
    env.put("MESH_STALL_CHECK_SECONDS", "0.2");
    env.put("MESH_ALIVE_TIMEOUT_MS", "300");
    env.putAll(overrides);
  }

  /** Starts NATS, a database and an in-process orchestrator. */
  public static TestMesh start(Map<String, String> overrides) {
    return start(overrides, "");
  }

  /** As {@link #start(Map)}, with extra nats-server configuration lines. */
  public static TestMesh start(Map<String, String> overrides, String natsConfig) {
    TestNats nats = TestNats.start(natsConfig);
    TestDatabase db = TestDatabase.create();
    TestMesh m = new TestMesh(nats, db, overrides);
    m.startOrchestrator();
    return m;
  }

  /**
   * As {@link #start(Map, String)}, for a server that requires credentials: the orchestrator
   * connects with {@code natsUrl} applied to the server's plain URL.
   */
  public static TestMesh start(
      Map<String, String> overrides,
      String natsConfig,
      java.util.function.UnaryOperator<String> natsUrl) {
    TestNats nats = TestNats.start(natsConfig);
    TestDatabase db = TestDatabase.create();
    Map<String, String> env = new HashMap<>(overrides);
    env.put("MESH_NATS_URL", natsUrl.apply(nats.url()));
    TestMesh m = new TestMesh(nats, db, env);
    m.startOrchestrator();
    return m;
  }

  /** Starts NATS and a database only; start orchestrators yourself (in-process or as processes). */
  public static TestMesh withoutOrchestrator(Map<String, String> overrides) {
    return new TestMesh(TestNats.start(), TestDatabase.create(), overrides);
  }

  public Orchestrator startOrchestrator() {
    orchestrator = Orchestrator.start(config());
    return orchestrator;
  }

  public void stopOrchestrator() {
    Orchestrator o = orchestrator;
    orchestrator = null;
    if (o != null) {
      o.close();
    }
  }

  public OrchestratorConfig config() {
    return OrchestratorConfig.from(env);
  }

  /** The environment an orchestrator (or worker) process needs to join this mesh. */
  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  /** Waits (at most 20 s) until every read model has the stream's last event. */
  public void awaitProjected() {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> orchestrator.watermark().current() >= orchestrator.store().lastSequence());
  }

  /**
   * Takes the projector's leader lock on a connection of its own, as another orchestrator's
   * projector or a rebuild holds it: no orchestrator of this mesh projects until it is closed.
   */
  public Connection holdProjectorLock() throws SQLException {
    Connection c = db.connect();
    try {
      lockProjector(c);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /** Takes the projector's leader lock on {@code c} (a session lock: until {@code c} closes). */
  public void lockProjector(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_advisory_lock(hashtext('jetmesh-projector:' || ?))")) {
      ps.setString(1, config().stream());
      ps.execute();
    }
  }

  public Orchestrator orchestrator() {
    return orchestrator;
  }

  public TestNats nats() {
    return nats;
  }

  public TestDatabase db() {
    return db;
  }

  public MeshClient client() {
    return new MeshClient(nats.url());
  }

  @Override
  public void close() {
    try {
      stopOrchestrator();
    } finally {
      try {
        nats.close();
      } finally {
        db.close();
      }
    }
  }
}
