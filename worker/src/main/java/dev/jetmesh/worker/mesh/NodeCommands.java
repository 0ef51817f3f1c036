package dev.jetmesh.worker.mesh;

import dev.jetmesh.schema.wire.NodeRequests;

/**
 * What a worker says about itself as a node: it joins ({@code mesh.nodes.join}) and publishes its
 * health ({@code mesh.health.<node>}). Implementations are thread-safe: the claim loop joins while
 * the health publisher beats.
 */
public interface NodeCommands {
  /**
   * {@code mesh.nodes.join}. Joining again with the same facts changes nothing on the mesh.
   *
   * @throws RejectedException when the mesh refuses the node (its code says why: {@code
   *     UNAUTHORIZED} for a missing, forged or expired token or a removed node)
   * @throws UnavailableException when the outcome is unknown
   */
  void join(NodeRequests.Join join);

  /**
   * Publishes {@code beat} (encoded as JSON) on {@code mesh.health.<nodeId>}: at most once, never
   * answered. Never throws for a connection that is down: the client buffers while it reconnects.
   */
  void publishHealth(String nodeId, Object beat);
}
