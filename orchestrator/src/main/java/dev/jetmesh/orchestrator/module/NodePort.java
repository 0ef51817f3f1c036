package dev.jetmesh.orchestrator.module;

import org.jspecify.annotations.Nullable;

/**
 * How other aggregates ask about worker nodes without importing the node package. Implemented by
 * the node module; {@link #NONE} stands in when no node module is registered. Thread-safe.
 */
public interface NodePort {
  /** No node module: every node may claim. */
  NodePort NONE = nodeId -> null;

  /**
   * Why {@code nodeId} may not claim, or null when it may: it was removed from the mesh, or joins
   * need a token and it never joined. Answered from memory, so it can be asked on every claim; a
   * removal made through another orchestrator is seen within one refresh of the node module
   * (docs/operations.md).
   */
  @Nullable String claimRefusal(String nodeId);
}
