package dev.jetmesh.worker.mesh;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.wire.NodeRequests;
import io.nats.client.Connection;
import java.time.Duration;

/** {@link NodeCommands} over NATS. Thread-safe: the connection is. */
final class NatsNodeCommands implements NodeCommands {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

  private final Connection nc;
  private final String nodeId;

  /** Requests go out on {@code nodeId}'s own subjects ({@link Subjects#asNode}). */
  NatsNodeCommands(Connection nc, String nodeId) {
    this.nc = requireNonNull(nc, "null connection");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  @Override
  public void join(NodeRequests.Join join) {
    Requests.send(nc, Subjects.asNode(nodeId, Subjects.nodes("join")), join, JOIN_TIMEOUT);
  }

  @Override
  public void publishHealth(String nodeId, Object beat) {
    nc.publish(Subjects.health(nodeId), Requests.encode("health beat", beat));
  }
}
