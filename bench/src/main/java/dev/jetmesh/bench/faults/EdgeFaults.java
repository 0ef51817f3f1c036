package dev.jetmesh.bench.faults;

import dev.jetmesh.bench.faults.Cluster.Scope;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.EventCodec;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.TaskSpec;
import io.nats.client.Connection;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Faults at the edges of the stream: duplicate publishes and retried appends, a poison and an
 * oversized event appended directly, and SIGTERM of the orchestrator under load. Not thread-safe.
 */
final class EdgeFaults {
  private final Cluster cluster;
  private final Connection admin;

  EdgeFaults(Cluster cluster, Connection admin) {
    this.cluster = cluster;
    this.admin = admin;
  }

  /**
   * Each of {@code n} events published three times with one {@code Nats-Msg-Id} inside the
   * deduplication window, then appended once more through the store (a retry after a lost
   * acknowledgement); and one task submitted twice over the wire.
   */
  Row duplicates(LoadFaults main, Scope scope, int n) throws Exception {
    List<String> checks = new ArrayList<>();
    Ledger ledger = new Ledger();
    EventStore store = new EventStore(admin, scope.stream());
    long t0 = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      String id = "dd-" + i;
      Envelope e =
          Envelope.wrap(
              new TaskEvent.TaskSubmitted(TaskSpec.withDefaults(id, "duplicate " + i, "")),
              id,
              "faults",
              null,
              Instant.now());
      byte[] data = EventCodec.encode(e);
      Headers h = new Headers().put(EventStore.HEADER_TYPE, e.type());
      PublishOptions o =
          PublishOptions.builder()
              .messageId(e.eventId().toString())
              .expectedStream(scope.stream())
              .build();
      long first = -1;
      for (int k = 0; k < 3; k++) {
        PublishAck ack = admin.jetStream().publish("mesh.evt.task." + id, h, data, o);
        if (k == 0) {
          first = ack.getSeqno();
        } else if (!ack.isDuplicate() || ack.getSeqno() != first) {
          checks.add(id + ": publish " + (k + 1) + " not reported as a duplicate of " + first);
        }
      }
      long again = store.append("mesh.evt.task." + id, e, 0);
      if (again != first) {
        checks.add(id + ": retried append stored at " + again + ", first at " + first);
      }
      ledger.submitted.add(id);
    }
    try (Connection nc = Wire.connect(cluster.nats.url(), "faults-dup")) {
      Map<String, Object> body = WireLoad.submitBody("dd-wire");
      Wire.Reply a = Wire.request(nc, "mesh.tasks.submit", body, Duration.ofSeconds(5));
      Wire.Reply b = Wire.request(nc, "mesh.tasks.submit", body, Duration.ofSeconds(5));
      if (a == null || !a.ok() || b == null || !b.code().equals("ALREADY_EXISTS")) {
        checks.add("wire submit twice: " + a + " then " + b);
      } else {
        ledger.submitted.add("dd-wire");
      }
    }
    String recover =
        String.format(Locale.ROOT, "%.1f s for %d ids", (System.currentTimeMillis() - t0) / 1e3, n);
    return Row.of(
        "duplicate publishes, retried append",
        n,
        main.audit("dd", ledger),
        recover,
        checks,
        (n * 4) + " publishes of " + n + " events, one wire submit twice");
  }

  /**
   * Bytes that are not an event, or an event larger than any command can make, appended straight to
   * a fresh mesh's stream: the projector must halt and say which event (/health, /ready, a log
   * line, a metric), never skip it silently; and an orchestrator started again on the same stream
   * must halt at it again.
   */
  Row badEvent(String kind, byte[] data, String name) throws Exception {
    List<String> checks = new ArrayList<>();
    Scope s = cluster.scope(name);
    Orch o = cluster.orchestrator(s, "orchestrator-" + name, Map.of());
    Orch again = null;
    String note;
    try (Connection nc = Wire.connect(s.nats().url(), "faults-" + name)) {
      Wire.Reply r =
          Wire.request(
              nc,
              "mesh.tasks.submit",
              WireLoad.submitBody(name + "-before"),
              Duration.ofSeconds(5));
      if (r == null || !r.ok()) {
        checks.add("submit before: " + r);
      }
      long seq = nc.jetStream().publish("mesh.evt.task." + name + "-bad", data).getSeqno();
      long t0 = System.currentTimeMillis();
      boolean notReady = Sleep.until(20_000, () -> o.status("/ready") == 503);
      long took = System.currentTimeMillis() - t0;
      if (notReady) {
        checkHalted(o, s, seq, "", checks);
        o.proc().term(Duration.ofSeconds(10));
        Orch restarted = cluster.startOrchestrator(s, "orchestrator-" + name + "-again", Map.of());
        again = restarted;
        // the JVM's start counts here: on a loaded machine it alone has taken 10-28 s
        if (!Sleep.until(60_000, () -> restarted.status("/ready") == 503)) {
          checks.add("restarted, it did not halt again within 60 s");
        } else {
          checkHalted(restarted, s, seq, "restarted: ", checks);
        }
        note =
            String.format(
                Locale.ROOT,
                "%s at seq %d: halted, /ready 503 after %.1f s; halted at it again after a restart",
                kind,
                seq,
                took / 1e3);
      } else {
        checks.add("did not halt on the " + kind + " event (checkpoint " + projected(s) + ")");
        note = kind + " at seq " + seq + ": not halted";
      }
    } finally {
      o.proc().term(Duration.ofSeconds(10));
      if (again != null) {
        again.proc().term(Duration.ofSeconds(10));
      }
    }
    return Row.check(kind + " event appended directly", 1, "-", checks, note);
  }

  /**
   * A halted orchestrator names the event in each place: {@code /health} (liveness: halted), {@code
   * /ready}, one log line, the metric; and its checkpoint stays before it.
   */
  private void checkHalted(Orch o, Scope s, long seq, String when, List<String> checks)
      throws java.sql.SQLException, java.io.IOException {
    String ready = o.body("/ready");
    String reason = ready.isEmpty() ? "" : Wire.JSON.readTree(ready).path("reason").asText();
    if (!Pattern.compile("^the projector halted: .*\\bsequence " + seq + "\\b")
        .matcher(reason)
        .find()) {
      checks.add(when + "/ready does not give the halt at sequence " + seq + " as why: " + ready);
    }
    if (!o.projectorState().equals("halted") || o.status("/health") != 503) {
      checks.add(when + "/health does not say halted: " + o.body("/health"));
    }
    Pattern line = Pattern.compile("PROJECTOR HALTED.*\\bsequence " + seq + "\\b");
    if (o.proc().log().lines().noneMatch(l -> line.matcher(l).find())) {
      checks.add(when + "no log line names sequence " + seq);
    }
    Pattern metric = Pattern.compile("jetmesh_projector_halted_seq(\\{[^}]*})? " + seq + "(\\.0)?");
    if (o.body("/metrics").lines().noneMatch(l -> metric.matcher(l).matches())) {
      checks.add(when + "no metric names sequence " + seq);
    }
    long projected = projected(s);
    if (projected >= seq) {
      checks.add(when + "checkpoint " + projected + " went past the bad event " + seq);
    }
  }

  private long projected(Scope s) throws java.sql.SQLException {
    try (java.sql.Connection c = cluster.pg.connect(s.database())) {
      return Audit.projectedThrough(c);
    }
  }

  static byte[] poison() {
    return "{not an event".getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A well-formed task.submitted 100 KB over {@link EventStore#MAX_EVENT_BYTES}, which no
   * orchestrator appends; the private nats-server takes messages of up to 4 MB.
   */
  static byte[] oversized(String id) {
    String big = "x".repeat(EventStore.MAX_EVENT_BYTES + 100_000);
    Envelope e =
        Envelope.wrap(
            new TaskEvent.TaskSubmitted(TaskSpec.withDefaults(id, "big", big)),
            id,
            "faults",
            null,
            Instant.now());
    return EventCodec.encode(e);
  }
}
