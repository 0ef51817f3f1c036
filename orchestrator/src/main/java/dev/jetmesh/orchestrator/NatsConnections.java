package dev.jetmesh.orchestrator;

import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.NatsInbox;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The orchestrator's NATS connections, each failing with one clear line when NATS cannot be
 * reached, and reconnecting for ever once connected.
 *
 * <p>An orchestrator opens two: one serves requests and appends ({@link #MAIN}), the other carries
 * only the projector's pulls ({@link #FEED}). A connection has one reader thread and one socket, so
 * on a shared one every reply to an append (the acknowledgement a claim waits for) queued behind
 * whatever batch of up to 500 events the projector was being sent at that moment. With the
 * projector on a connection of its own, the claim's p99 at 100,000 queued was lower in each of
 * seven paired runs of the benchmark, by 0.1–1.5 ms (docs/benchmarks-history.md).
 */
public final class NatsConnections {
  /** The name of the connection that serves requests and appends, as nats-server lists it. */
  public static final String MAIN = "jetmesh-orchestrator";

  /** The name of the connection the projector fetches the stream on. */
  public static final String FEED = "jetmesh-orchestrator-feed";

  private NatsConnections() {}

  /** NATS could not be reached. */
  public static final class NatsUnavailableException extends MeshException {
    public NatsUnavailableException(String message, Throwable cause) {
      super(ErrorCode.UNAVAILABLE, message, cause);
    }
  }

  /**
   * Connects as {@code name}.
   *
   * @throws OrchestratorConfig.ConfigException when {@code url} is not a NATS URL
   * @throws NatsUnavailableException when NATS cannot be reached
   */
  public static Connection connect(String url, @Nullable String inboxPrefix, String name) {
    Options opts;
    try {
      opts =
          Options.builder()
              .server(url)
              .inboxPrefix(NatsInbox.prefix(url, inboxPrefix))
              .connectionName(name)
              .connectionTimeout(Duration.ofSeconds(5))
              .maxReconnects(-1)
              .reconnectWait(Duration.ofSeconds(1))
              .errorListener(new io.nats.client.ErrorListener() {})
              .build();
    } catch (RuntimeException e) {
      // jnats refuses a malformed URL with an unchecked exception (even a NullPointerException)
      throw new OrchestratorConfig.ConfigException(
          "MESH_NATS_URL is not a NATS URL (nats://host:port): " + NatsInbox.redact(url));
    }
    try {
      return Nats.connect(opts);
    } catch (IOException e) {
      throw new NatsUnavailableException(
          "cannot connect to NATS at " + NatsInbox.redact(url) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NatsUnavailableException(
          "interrupted while connecting to NATS at " + NatsInbox.redact(url), e);
    }
  }
}
