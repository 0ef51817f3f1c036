package dev.jetmesh.worker.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.wire.CollabRequests;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code mesh.collab.*} requests and notifications a worker uses. Requests throw {@link
 * RejectedException} when the orchestrator refuses and {@link UnavailableException} when the
 * outcome is unknown. Implementations are thread-safe.
 */
public interface CollabCommands {
  /** {@code mesh.collab.join}: the session after joining (the reference replies the session). */
  JsonNode join(CollabRequests.Join join);

  /** {@code mesh.collab.leave}. */
  void leave(CollabRequests.Leave leave);

  /** {@code mesh.collab.status}. */
  CollabWire.Status status(String sessionId);

  /** {@code mesh.collab.find}: the session id of the task's session, if there is one. */
  Optional<String> find(String taskId);

  /** {@code mesh.collab.recruiting}. */
  List<CollabWire.Recruit> recruiting();

  /** {@code mesh.collab.reflect}. */
  void reflect(CollabRequests.Reflect reflect);

  /** {@code mesh.collab.vote}: the coordinator's deciding vote on a round. */
  void vote(CollabRequests.Vote vote);

  /**
   * {@code mesh.collab.assignment}: the round this node is due to work on, or empty when none is
   * (or the orchestrator does not serve the subject).
   */
  Optional<CollabWire.Round> assignment(String sessionId, String nodeId);

  /**
   * Subscribes to this node's round notifications of one session. The handler runs on a NATS
   * dispatcher thread and must not block.
   */
  AutoCloseable subscribeRounds(
      String sessionId, String nodeId, Consumer<CollabWire.Round> handler);

  /**
   * Subscribes to every recruit broadcast ({@code mesh.collab.*.recruit}). The handler runs on a
   * NATS dispatcher thread and must not block.
   */
  AutoCloseable subscribeRecruits(Consumer<CollabWire.Recruit> handler);
}
