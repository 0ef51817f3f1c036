package dev.jetmesh.orchestrator.projection;

import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.StoredEvent;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * One aggregate's share of the main projection: which events it handles and how a batch of them is
 * written. Each module registers one; the {@link Projector} routes every event to the projection of
 * its type and knows none by name. Rebuilding is the same code from sequence 0.
 *
 * <p>The life-cycle hooks are called on the projector's thread. {@code jetmesh rebuild} (a process
 * of its own) uses only {@link #tables}, {@link #begin} and the writers, never {@link #lead},
 * {@link #distrust} or {@link #stop}: what a projection keeps in memory stays in the process that
 * keeps it.
 */
public interface Projection {
  /** The events this projection applies: one permitted subtype of {@link MeshEvent}. */
  Class<? extends MeshEvent> events();

  /**
   * The tables this projection writes, all of them: a rebuild truncates them, projects them again
   * and compares their hashes before and after.
   */
  List<TableSpec> tables();

  /** A writer for one batch, inside one transaction; a fresh one for every try of a batch. */
  Writer begin();

  /** This process took the lead with the read model at {@code checkpoint}: load what it keeps. */
  default void lead(long checkpoint) {}

  /**
   * A commit's outcome is unknown (the connection failed around it): whatever this projection keeps
   * in memory cannot be trusted until it reads the read model again.
   */
  default void distrust() {}

  /** The projector stopped or lost the lead. */
  default void stop() {}

  /** Writes one batch. Not thread-safe. */
  interface Writer {
    /** Queues one event of {@link #events()}; nothing is written before {@link #flush}. */
    void add(StoredEvent e);

    /** Writes the queued events through {@code h}; throws on an event that cannot apply. */
    void flush(Handle h);

    /** The batch committed, up to {@code last}; called before it is acknowledged. */
    default void committed(long last) {}
  }

  /** A projection that keeps nothing in memory. */
  static Projection of(
      Class<? extends MeshEvent> events,
      List<TableSpec> tables,
      Supplier<? extends Writer> writers) {
    List<TableSpec> written = List.copyOf(tables);
    return new Projection() {
      @Override
      public Class<? extends MeshEvent> events() {
        return events;
      }

      @Override
      public List<TableSpec> tables() {
        return written;
      }

      @Override
      public Writer begin() {
        return writers.get();
      }
    };
  }
}
