package dev.jetmesh.schema.events;

/**
 * Root of the event catalogue. Every event belongs to exactly one aggregate family, named by {@link
 * #aggregate()}, and is appended to that aggregate instance's own subject.
 */
public sealed interface MeshEvent permits TaskEvent, CollabEvent, PlanEvent, NodeEvent {
  /** The aggregate family: {@code task}, {@code collab}, {@code plan} or {@code node}. */
  String aggregate();
}
