package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who carries a subtask out (REFERENCE.md section 5): {@code mode} is one of {@link #MODES}; {@code
 * soul_id} names the soul for {@code soul}; {@code collaboration} is the session spec for {@code
 * collab_mesh}; {@code reason} says why (the routing rule that matched, or the planner's).
 */
public record SubtaskDelegation(
    String mode, @Nullable String soulId, @Nullable JsonNode collaboration, String reason) {
  public static final String LOCAL = "local";
  public static final String SOUL = "soul";
  public static final String HUMAN = "human";
  public static final String SOLO_MESH = "solo_mesh";
  public static final String COLLAB_MESH = "collab_mesh";

  /** Every mode a routed or given delegation may have. */
  public static final java.util.List<String> MODES =
      java.util.List.of(LOCAL, SOUL, HUMAN, SOLO_MESH, COLLAB_MESH);

  public SubtaskDelegation {
    Objects.requireNonNull(mode, "null mode");
    Objects.requireNonNull(reason, "null reason");
    collaboration = TaskSpec.jsonOrNull(collaboration);
  }

  /** True when the subtask runs as a mesh task (a worker claims it). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isMesh() {
    return mode.equals(SOLO_MESH) || mode.equals(COLLAB_MESH);
  }
}
