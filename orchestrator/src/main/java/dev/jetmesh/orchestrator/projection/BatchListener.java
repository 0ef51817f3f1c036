package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.schema.events.StoredEvent;
import java.util.List;

/**
 * Called on the projector's thread after a batch has committed; reactors hook in here. An exception
 * is logged and does not stop projection.
 */
@FunctionalInterface
public interface BatchListener {
  void afterCommit(List<StoredEvent> batch);
}
