package dev.jetmesh.orchestrator.module;

/**
 * How other aggregates ask about worker nodes without importing the node package. Implemented by
 * the node module; {@link #NONE} stands in when no node module is registered. Thread-safe.
 */
public interface NodePort {
  /** No node module: no node is ever removed. */
  NodePort NONE = nodeId -> false;

  /**
   * True when {@code nodeId} was removed from the mesh: it may no longer join or claim. Answered
   * from memory, so it can be asked on every claim; a removal made through another orchestrator is
   * seen within one refresh of the node module (docs/operations.md).
   */
  boolean removed(String nodeId);
}
