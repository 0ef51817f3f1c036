package dev.jetmesh.orchestrator.task;

import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A claim that sees what this process appended before it: a client that submits and claims at once
 * claims what it submitted, as with the reference. A claim that finds nothing while the read model
 * (and the claim index with it) may not show this process's last append yet waits, bounded, for the
 * projector to pass it, and looks once more. A claim that finds a task never waits, nor does one
 * that looked after the projector had passed every append of this process.
 *
 * <p>How far the projector had got is read <em>before</em> the claim looks, not after: read after,
 * a projection that lands while the claim looks (the submission applied a moment too late for this
 * look) would pass for one the look had seen, and the claim would answer "nothing claimable" with
 * the client's task queued. The reads phase of the benchmark met that once in 1,400 claims.
 */
final class OwnWritesClaim {
  private OwnWritesClaim() {}

  /**
   * @param look one claim attempt
   * @param projected how far the projector has got (the watermark): whatever it has passed, a look
   *     begun after that sees
   * @param appended the highest sequence this process had appended when the claim arrived
   * @param awaitProjected waits, bounded, until the projector passes the sequence; false when it
   *     did not in time
   */
  static <T> Optional<T> claim(
      Supplier<Optional<T>> look,
      LongSupplier projected,
      long appended,
      LongPredicate awaitProjected) {
    long seen = projected.getAsLong();
    Optional<T> t = look.get();
    if (t.isEmpty() && seen < appended && awaitProjected.test(appended)) {
      t = look.get();
    }
    return t;
  }
}
