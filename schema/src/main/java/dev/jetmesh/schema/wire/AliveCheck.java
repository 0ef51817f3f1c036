package dev.jetmesh.schema.wire;

import org.jspecify.annotations.Nullable;

/**
 * The alive check a worker answers on {@code mesh.agent.<node>.alive}. The reply is not wrapped in
 * {@code {ok,data}}: that is the reference's contract.
 */
public final class AliveCheck {
  private AliveCheck() {}

  /** Request: which task the orchestrator asks about (may be empty: "any task"). */
  public record Request(String taskId) {}

  /** Reply: whether the node is working, and on what. */
  public record Answer(boolean alive, @Nullable String taskId) {}
}
