package dev.jetmesh.orchestrator;

import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.events.StoredEvent;
import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * A feature slice plugged into the orchestrator (collaboration sessions, plans): its request
 * subjects, its reactor, its periodic sweep and its HTTP routes. Implementations are thread-safe.
 */
public interface MeshModule extends AutoCloseable {
  /** Registers request handlers; {@link #subscriptions()} lists the wildcards they live under. */
  void register(RequestRouter router);

  /** Subject wildcards to subscribe to (in the orchestrators' queue group). */
  List<String> subscriptions();

  /**
   * Called on the projector's thread after a batch committed (on the projecting orchestrator only).
   * Decides from the read model and appends with the projected sequence and deterministic event
   * ids, so a re-run can never decide twice.
   */
  void afterCommit(List<StoredEvent> batch);

  /**
   * Re-evaluates every open aggregate from the read model: catches decisions lost to a crash
   * between a commit and {@link #afterCommit}, and time-based ones (deadlines). Called
   * periodically; must be cheap when there is nothing to do.
   */
  void sweep();

  /** Adds read endpoints. */
  void http(JavalinConfig config);

  @Override
  default void close() {}
}
