package dev.jetmesh.orchestrator.api;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ready} answer: ready to serve when NATS is connected and the stream answers, Postgres
 * answers, the projector has not halted, and the read models are at most {@code maxLag} events
 * behind the stream (its last sequence minus the sequence every read model has). {@code /health}
 * says whether the process is alive; this says whether its reads are current. Thread-safe.
 */
public final class Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

  private final BooleanSupplier natsConnected;
  private final LongSupplier streamLastSeq;
  private final LongSupplier projectedThrough;
  private final Supplier<@Nullable String> haltReason;
  private final long maxLag;

  /**
   * @param streamLastSeq the stream's last sequence (asks JetStream; may throw)
   * @param projectedThrough the sequence every read model has (asks Postgres; may throw)
   * @param haltReason why the projector halted, or null while it has not
   * @param maxLag {@code MESH_READY_MAX_LAG}
   */
  public Readiness(
      BooleanSupplier natsConnected,
      LongSupplier streamLastSeq,
      LongSupplier projectedThrough,
      Supplier<@Nullable String> haltReason,
      long maxLag) {
    this.natsConnected = requireNonNull(natsConnected, "null natsConnected");
    this.streamLastSeq = requireNonNull(streamLastSeq, "null streamLastSeq");
    this.projectedThrough = requireNonNull(projectedThrough, "null projectedThrough");
    this.haltReason = requireNonNull(haltReason, "null haltReason");
    this.maxLag = maxLag;
  }

  /** The body; {@code ok} decides between 200 and 503, {@code reason} says why not. */
  public Map<String, @Nullable Object> check() {
    Long stream = null;
    String reason = null;
    boolean nats = natsConnected.getAsBoolean();
    if (!nats) {
      reason = "NATS is not connected";
    } else {
      try {
        stream = streamLastSeq.getAsLong();
      } catch (RuntimeException e) {
        nats = false;
        reason = "the stream does not answer: " + e.getMessage();
        LOG.debug("ready: stream", e);
      }
    }
    Long projected = null;
    try {
      projected = projectedThrough.getAsLong();
    } catch (RuntimeException e) {
      reason = reason != null ? reason : "Postgres does not answer: " + Causes.rootMessage(e);
      LOG.debug("ready: postgres", e);
    }
    Long lag = stream != null && projected != null ? Math.max(0, stream - projected) : null;
    String halted = haltReason.get();
    if (reason == null && halted != null) {
      reason = "the projector halted: " + halted;
    }
    if (reason == null && lag != null && lag > maxLag) {
      reason =
          "the read models are "
              + lag
              + " events behind the stream (MESH_READY_MAX_LAG="
              + maxLag
              + ")";
    }
    Map<String, @Nullable Object> b = new LinkedHashMap<>();
    b.put("ok", reason == null);
    b.put("nats", nats);
    b.put("postgres", projected != null);
    b.put("stream_seq", stream);
    b.put("projected_seq", projected);
    b.put("projection_lag", lag);
    b.put("max_lag", maxLag);
    b.put("reason", reason);
    return b;
  }
}
