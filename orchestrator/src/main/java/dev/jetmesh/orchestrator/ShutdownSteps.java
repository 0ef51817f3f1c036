package dev.jetmesh.orchestrator;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an orchestrator's parts in order, every one of them whatever happened to those before: a
 * part that throws must not leave the connections, the pool and the threads after it open (a
 * process that goes on, such as a test or an embedding application, would keep them; a standby
 * would keep serving requests on a half-closed orchestrator). The first failure is thrown once
 * every step has run, with the later ones suppressed on it, and each is logged with its step's
 * name.
 *
 * <p>An interrupt while a step waits ends that step (each part closes what it must before it waits,
 * see {@code RequestRouter.close}); it is raised again after the last step, so that the steps after
 * it still wait for their threads (each wait is bounded) instead of failing at once. An interrupt
 * already pending when a step begins (the closing thread was interrupted before, or a step set it
 * again) is taken off the thread for the step's time: Jetty's stop, for one, fails at its first
 * wait with the interrupt set. An {@link Error} is not caught: the process is in no state to go on
 * closing. Not thread-safe; one per close.
 */
final class ShutdownSteps {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSteps.class);

  /** One part to close. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private @Nullable RuntimeException failure;
  private boolean interrupted;

  /** Runs {@code step}, recording rather than throwing what it throws. */
  ShutdownSteps then(String name, Step step) {
    interrupted |= Thread.interrupted();
    try {
      step.run();
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (Exception e) {
      LOG.warn("closing the orchestrator: {} failed: {}", name, e.toString());
      RuntimeException r =
          e instanceof RuntimeException re
              ? re
              : new MeshException(
                  ErrorCode.INTERNAL, "closing the orchestrator: " + name + " failed", e);
      if (failure == null) {
        failure = r;
      } else if (!failure.equals(r)) { // addSuppressed refuses the exception itself
        failure.addSuppressed(r);
      }
    }
    return this;
  }

  /**
   * Ends the sequence: raises the interrupt again if a step was interrupted, and throws the first
   * failure, if any.
   */
  void done() {
    interrupted |= Thread.interrupted();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }
}
