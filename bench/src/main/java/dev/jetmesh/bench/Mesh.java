package dev.jetmesh.bench;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.testing.TestDatabase;
import dev.jetmesh.orchestrator.testing.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What one phase runs against: a NATS server (a private nats-server from the test fixtures, or the
 * one at {@code bench.natsUrl}), a fresh Postgres database (the {@link TestDatabase} fixture) and
 * an in-process orchestrator; or, with {@code bench.external}, only a connection to a running mesh.
 */
final class Mesh implements AutoCloseable {
  /** The projector's durable consumer (see Projector); its ack floor is its committed position. */
  static final String PROJECTOR_DURABLE = "jetmesh-projector";

  private final @Nullable TestNats nats;
  private final String natsUrl;
  private final @Nullable TestDatabase db;
  private final String stream;
  private final Map<String, String> env = new HashMap<>();
  private final Connection admin;
  private @Nullable Orchestrator orchestrator;
  private @Nullable OrchestratorJars process;

  private Mesh(@Nullable TestNats nats, String natsUrl, @Nullable TestDatabase db, String stream) {
    this.nats = nats;
    this.natsUrl = natsUrl;
    this.db = db;
    this.stream = stream;
    this.admin = connect(natsUrl, "jetmesh-bench-admin");
    if (db != null) {
      env.put("MESH_NATS_URL", natsUrl);
      env.put("MESH_DB_URL", db.url());
      env.put("MESH_DB_USER", db.user());
      env.put("MESH_DB_PASSWORD", db.password());
      env.put("MESH_HTTP_PORT", "0");
      env.put("MESH_STREAM", stream);
    }
  }

  /** NATS (private unless configured) and a fresh database; no orchestrator yet. */
  static Mesh create(BenchConfig c) {
    if (c.external()) {
      if (c.natsUrl() == null) {
        throw new IllegalArgumentException("bench.external needs bench.natsUrl");
      }
      return new Mesh(null, c.natsUrl(), null, c.stream());
    }
    TestNats nats = c.natsUrl() == null ? TestNats.start() : null;
    String url = nats != null ? nats.url() : Objects.requireNonNull(c.natsUrl());
    // On a shared server, a stream of our own so that nothing else is disturbed.
    String stream =
        nats != null
            ? "MESH_EVENTS"
            : "BENCH_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try {
      return new Mesh(nats, url, TestDatabase.create(), stream);
    } catch (RuntimeException e) {
      if (nats != null) {
        nats.close();
      }
      throw e;
    }
  }

  boolean external() {
    return db == null;
  }

  Orchestrator startOrchestrator(Map<String, String> overrides) {
    if (external()) {
      throw new IllegalStateException("external mesh: no in-process orchestrator");
    }
    orchestrator = Orchestrator.start(config(overrides));
    return orchestrator;
  }

  /** The environment an orchestrator process of this mesh gets (no HTTP port). */
  Map<String, String> processEnv() {
    Map<String, String> e = new HashMap<>(env);
    e.remove("MESH_HTTP_PORT");
    return e;
  }

  /**
   * Starts one orchestrator as its own process ({@code java -jar … serve}, as users run it) and
   * waits until it is ready; closed with the mesh.
   */
  void startOrchestratorProcess() throws java.io.IOException, InterruptedException {
    startOrchestratorProcess(Map.of());
  }

  /** As {@link #startOrchestratorProcess()}, with {@code overrides} in its environment. */
  void startOrchestratorProcess(Map<String, String> overrides)
      throws java.io.IOException, InterruptedException {
    if (external()) {
      throw new IllegalStateException("external mesh: no orchestrator of ours");
    }
    if (process != null) {
      throw new IllegalStateException("an orchestrator process runs already");
    }
    Map<String, String> e = processEnv();
    e.putAll(overrides);
    process = OrchestratorJars.start(1, e, Duration.ofMinutes(2));
  }

  /** Stops the orchestrator process (SIGTERM), if one runs. */
  void stopOrchestratorProcess() {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  /** The configuration an in-process orchestrator of this mesh gets, with {@code overrides}. */
  OrchestratorConfig config(Map<String, String> overrides) {
    Map<String, String> e = new HashMap<>(env);
    e.putAll(overrides);
    return OrchestratorConfig.from(e);
  }

  /** Stops the in-process orchestrator, if one runs. */
  void stopOrchestrator() {
    if (orchestrator != null) {
      orchestrator.close();
      orchestrator = null;
    }
  }

  Orchestrator orchestrator() {
    return Objects.requireNonNull(orchestrator, "no orchestrator running");
  }

  String natsUrl() {
    return natsUrl;
  }

  String stream() {
    return stream;
  }

  TestDatabase db() {
    return Objects.requireNonNull(db, "an external mesh has no database of ours");
  }

  Connection admin() {
    return admin;
  }

  /** The stream's last sequence. */
  long streamLast() {
    try {
      return admin.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
    } catch (IOException | JetStreamApiException e) {
      throw new IllegalStateException("cannot read stream " + stream + ": " + e, e);
    }
  }

  /**
   * Waits until the read model has projected {@code seq}: the in-process orchestrator's watermark,
   * or for an external one the ack floor of the projector's durable consumer (acknowledged only
   * after commit). Returns false on timeout.
   */
  boolean awaitProjected(long seq, Duration max) throws InterruptedException {
    if (orchestrator != null) {
      return orchestrator.watermark().awaitAtLeast(seq, max);
    }
    long deadline = System.nanoTime() + max.toNanos();
    JetStreamManagement jsm;
    try {
      jsm = admin.jetStreamManagement();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    while (System.nanoTime() < deadline) {
      try {
        ConsumerInfo ci = jsm.getConsumerInfo(stream, PROJECTOR_DURABLE);
        if (ci.getAckFloor() != null && ci.getAckFloor().getStreamSequence() >= seq) {
          return true;
        }
      } catch (IOException | JetStreamApiException e) {
        // not there yet
      }
      Thread.sleep(20);
    }
    return false;
  }

  static Connection connect(String url, String name) {
    return BenchNats.connect(url, name, Options.DEFAULT_RECONNECT_WAIT);
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
      process = null;
    }
    if (orchestrator != null) {
      orchestrator.close();
      orchestrator = null;
    }
    try {
      admin.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (nats != null) {
      nats.close();
    }
    if (db != null) {
      db.close();
    }
  }
}
