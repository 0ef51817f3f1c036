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

  NatsNodeCommands(Connection nc) {
    this.nc = requireNonNull(nc, "null connection");
  }

  @Override
  public void join(NodeRequests.Join join) {
    Requests.send(nc, Subjects.nodes("join"), join, JOIN_TIMEOUT);
  }

  @Override
  public void publishHealth(String nodeId, Object beat) {
    nc.publish(Subjects.health(nodeId), Requests.encode("health beat", beat));
  }
}
