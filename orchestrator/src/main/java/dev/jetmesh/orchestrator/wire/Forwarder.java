package dev.jetmesh.orchestrator.wire;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands a request that a standby orchestrator received to the primary (the one that projects and
 * holds the claim index), on {@link Subjects#FORWARDED_PREFIX} + the original subject, and brings
 * its reply back unchanged. Thread-safe.
 */
final class Forwarder {
  /** What became of a forwarded request. */
  sealed interface Outcome {
    /** The primary answered: the reply's body, to hand back as it is. */
    @SuppressWarnings("ArrayRecordComponent") // handed on once, never compared
    record Answered(byte[] body) implements Outcome {}

    /** No orchestrator is primary now: NATS says so at once, so the request was handled nowhere. */
    record NoPrimary() implements Outcome {}
  }

  private static final String CLAIM = Subjects.tasks("claim");
  private static final String GET = Subjects.tasks("get");

  private final Connection nc;

  Forwarder(Connection nc) {
    this.nc = nc;
  }

  /**
   * How long the primary may take: a little under the reference agent's own timeout for the request
   * (60 s for a claim, 5 s for {@code get}, 10 s for the rest), so that a busy primary still
   * answers, and the client hears why when it hangs instead of timing out blind.
   */
  static Duration timeout(String subject) {
    if (subject.equals(CLAIM)) {
      return Duration.ofSeconds(55);
    }
    return subject.equals(GET) ? Duration.ofSeconds(4) : Duration.ofSeconds(9);
  }

  /**
   * @throws MeshException {@code UNAVAILABLE} when the primary does not answer in time: it may have
   *     handled the request, so it must not be handled here as well; the client tries again
   */
  Outcome forward(String subject, byte[] body) {
    CompletableFuture<Message> reply = nc.request(Subjects.FORWARDED_PREFIX + subject, body);
    try {
      return new Outcome.Answered(
          reply.get(timeout(subject).toMillis(), TimeUnit.MILLISECONDS).getData());
    } catch (CancellationException | ExecutionException e) {
      return new Outcome.NoPrimary();
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw new MeshException(ErrorCode.UNAVAILABLE, "Service unavailable, try again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException(ErrorCode.UNAVAILABLE, "Service unavailable, try again");
    }
  }
}
