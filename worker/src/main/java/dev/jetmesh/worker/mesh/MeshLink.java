package dev.jetmesh.worker.mesh;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.NatsInbox;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's NATS connection and what is built on it: the task and collaboration requests, the
 * node's join and health beats, the transcript store and the agent subjects it serves. The only
 * place a connection is made, so the rest of the worker never sees {@code io.nats}. Thread-safe:
 * the connection is.
 */
public final class MeshLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshLink.class);
  private static final Duration RECONNECT_WAIT = Duration.ofSeconds(2);

  /** Routes the client's errors to SLF4J instead of its default java.util.logging output. */
  private static final ErrorListener NATS_ERRORS =
      new ErrorListener() {
        @Override
        public void errorOccurred(Connection conn, String error) {
          log.warn("NATS error: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
          log.debug("NATS exception: {}", exp.toString());
        }
      };

  private final Connection nc;
  private final TaskCommands tasks;
  private final CollabCommands collab;
  private final OutputSink outputs;
  private final NodeCommands nodes;

  private MeshLink(Connection nc, String nodeId) {
    this.nc = nc;
    this.tasks = new NatsTaskCommands(nc, nodeId);
    this.collab = new NatsCollabCommands(nc, nodeId);
    this.outputs = new ObjectStoreOutputs(nc);
    this.nodes = new NatsNodeCommands(nc, nodeId);
  }

  /**
   * Connects a long-running worker: it reconnects for ever, every 2 s. Replies to its requests
   * arrive under {@code inboxPrefix} ({@code MESH_NATS_INBOX_PREFIX}); null: {@code _INBOX.<user>}
   * for a {@code user:password} URL ({@link NatsInbox}), the only inbox its NATS user may read.
   * {@code onClosed} runs once the connection is closed for good (on a NATS thread; it must not
   * block).
   *
   * @throws IOException when the server cannot be reached at all
   */
  public static MeshLink connect(
      String url, String nodeId, @Nullable String inboxPrefix, Runnable onClosed)
      throws IOException, InterruptedException {
    requireNonNull(onClosed, "null onClosed");
    Options options =
        Options.builder()
            .server(url)
            .inboxPrefix(NatsInbox.prefix(url, inboxPrefix))
            .connectionName("jetmesh-worker-" + nodeId)
            .maxReconnects(-1)
            .reconnectWait(RECONNECT_WAIT)
            .errorListener(NATS_ERRORS)
            .connectionListener((conn, event) -> onEvent(event, onClosed))
            .build();
    return new MeshLink(Nats.connect(options), nodeId);
  }

  /**
   * Checks a server URL (or a comma-separated list of them) the way {@link #connect} will read it,
   * so that a bad one is a configuration error at start rather than a failure to connect.
   *
   * @throws IllegalArgumentException when the client cannot read it
   */
  public static void checkUrl(String url) {
    Options.builder().server(url).build();
  }

  /** Connects once, without reconnecting: for a short command such as the dry run. */
  public static MeshLink connectOnce(String url, String nodeId, @Nullable String inboxPrefix)
      throws IOException, InterruptedException {
    Options options =
        Options.builder()
            .server(url)
            .inboxPrefix(NatsInbox.prefix(url, inboxPrefix))
            .maxReconnects(0)
            .errorListener(NATS_ERRORS)
            .build();
    return new MeshLink(Nats.connect(options), nodeId);
  }

  private static void onEvent(ConnectionListener.Events event, Runnable onClosed) {
    switch (event) {
      case CLOSED -> onClosed.run();
      case DISCONNECTED -> log.warn("NATS disconnected; reconnecting");
      case RECONNECTED -> log.info("NATS reconnected");
      default -> {}
    }
  }

  /** The {@code mesh.tasks.*} requests. */
  public TaskCommands tasks() {
    return tasks;
  }

  /** The {@code mesh.collab.*} requests and notifications. */
  public CollabCommands collab() {
    return collab;
  }

  /** The {@code mesh.nodes.join} request and the {@code mesh.health.<node>} beats. */
  public NodeCommands nodes() {
    return nodes;
  }

  /** Where run transcripts are kept (the {@code MESH_OUTPUTS} object store). */
  public OutputSink outputs() {
    return outputs;
  }

  /** Serves this node's alive check and notices until the returned endpoints are closed. */
  public AgentEndpoints serveAgent(
      String nodeId,
      Supplier<Optional<String>> currentTask,
      AgentEndpoints.NoticeListener listener) {
    return AgentEndpoints.open(nc, nodeId, currentTask, listener);
  }

  /** Closes the connection (its subscriptions with it). */
  @Override
  public void close() {
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
