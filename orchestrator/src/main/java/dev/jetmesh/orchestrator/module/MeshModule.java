package dev.jetmesh.orchestrator.module;

import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.events.StoredEvent;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * One aggregate plugged into the orchestrator: its read model, its wire routes, its reactions and
 * its HTTP routes. The orchestrator builds every module from a {@link MeshContext} (one line each
 * in {@code Orchestrator.MODULES}); the projector, the wire router and the HTTP API use modules
 * only through this interface. Implementations are thread-safe.
 */
public interface MeshModule extends AutoCloseable {
  /** The aggregate's share of the main projection: the events it handles and the SQL it writes. */
  Projection projection();

  /** Registers request handlers; {@link #subscriptions()} lists the wildcards they live under. */
  void register(RequestRouter router);

  /** Subject wildcards to subscribe to (in the orchestrators' queue group). */
  List<String> subscriptions();

  /**
   * Reactions, called on the projector's thread after a batch committed (on the projecting
   * orchestrator only). Decides from the read model and appends with the projected sequence and
   * deterministic event ids, so a re-run can never decide twice.
   */
  default void afterCommit(List<StoredEvent> batch) {}

  /**
   * Re-evaluates every open aggregate from the read model: catches decisions lost to a crash
   * between a commit and {@link #afterCommit}, and time-based ones (deadlines). Called periodically
   * on the projecting orchestrator; must be cheap when there is nothing to do.
   */
  default void sweep() {}

  /**
   * Runs {@code each} over {@code items} in order, stopping before the next one once the thread is
   * interrupted: the sweeper interrupts a sweep that outlasts its grace when the orchestrator
   * closes, and a sweep that went on would run into the connections closing under it. What is left
   * is the next sweep's, on whichever orchestrator leads then. The interrupt stays set.
   *
   * @return whether every item was run
   */
  static <T> boolean sweepEach(Iterable<T> items, Consumer<? super T> each) {
    for (T item : items) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      each.accept(item);
    }
    return true;
  }

  /** Starts the module's own timers, once the projector and the routes run. */
  default void start() {}

  /**
   * Adds the module's HTTP read routes (docs/api.md). Bodies go through the API's one snake_case
   * mapper ({@code ctx.json}), lists answer pages with keyset cursors (the api package's {@code
   * QueryParams}, {@code Cursor}, {@code Page}), and whatever a route throws becomes a problem+json
   * reply. Every route must be in the OpenAPI document ({@code ApiDocsIT}).
   */
  default void http(JavalinConfig config) {}

  @Override
  default void close() {}
}
