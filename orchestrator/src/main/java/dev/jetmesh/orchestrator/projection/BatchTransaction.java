package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.StoredEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a batch to the main projection in one transaction that also advances its checkpoint:
 * every event above the checkpoint goes to the registered {@link Projection} of its type, each
 * projection writes its share, and after the commit each hears of it. Projector thread only.
 */
final class BatchTransaction {
  private final Database db;
  private final List<Projection> projections;
  private final Map<Class<?>, Integer> route = new HashMap<>();

  /**
   * @throws IllegalArgumentException unless every kind of event has exactly one projection: an
   *     event nobody projects would be silently lost from the read model
   */
  BatchTransaction(Database db, List<Projection> projections) {
    this.db = db;
    this.projections = List.copyOf(projections);
    for (Class<?> kind : MeshEvent.class.getPermittedSubclasses()) {
      List<Projection> owners =
          this.projections.stream().filter(p -> p.events().equals(kind)).toList();
      if (owners.size() != 1) {
        throw new IllegalArgumentException(
            owners.size() + " projections for " + kind.getSimpleName() + ", need exactly one");
      }
    }
  }

  /** Applies the events above the checkpoint; returns the new checkpoint. */
  long apply(List<StoredEvent> events) {
    Projection.Writer[] writers = new Projection.Writer[projections.size()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = projections.get(i).begin();
    }
    long last =
        db.jdbi()
            .inTransaction(
                h -> {
                  Checkpoints.Fresh f =
                      Checkpoints.fresh(h.getConnection(), Checkpoints.MAIN, events);
                  List<StoredEvent> fresh = f.events();
                  if (fresh.isEmpty()) {
                    return f.checkpoint();
                  }
                  for (StoredEvent e : fresh) {
                    writers[indexOf(e.event())].add(e);
                  }
                  for (Projection.Writer w : writers) {
                    w.flush(h);
                  }
                  long newLast = fresh.get(fresh.size() - 1).seq();
                  Checkpoints.store(h.getConnection(), Checkpoints.MAIN, newLast);
                  return newLast;
                });
    Arrays.stream(writers).forEach(w -> w.committed(last));
    return last;
  }

  private int indexOf(MeshEvent event) {
    return route.computeIfAbsent(
        event.getClass(),
        c -> {
          for (int i = 0; i < projections.size(); i++) {
            if (projections.get(i).events().isAssignableFrom(c)) {
              return i;
            }
          }
          throw new IllegalStateException("no projection for " + c.getName());
        });
  }

  List<Projection> projections() {
    return new ArrayList<>(projections);
  }
}
