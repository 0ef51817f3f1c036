package dev.jetmesh.bench.faults;

import dev.jetmesh.bench.faults.Cluster.Scope;
import dev.jetmesh.orchestrator.testing.AckDroppingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Acknowledgements of the orchestrator's appends lost on their way back under a load: the main
 * mesh's orchestrator is replaced by one that reaches nats-server through an {@link
 * AckDroppingProxy}, which drops every {@value #EVERY}th publish acknowledgement. The event is
 * stored; the orchestrator hears nothing, waits out its publish timeout and appends again with the
 * same message id. Each retry must be answered as a duplicate of the stored event (seen by the
 * proxy, outside the orchestrator), and the load's commands must each be stored once (the audit).
 * The load's clients meanwhile time out and send their commands again, so the orchestrator also
 * gets the same command twice while its first append is unanswered. Not thread-safe.
 */
final class LostAckFault {
  private static final int EVERY = 20;

  private final Cluster cluster;
  private final Scope scope;
  private final Map<String, String> orchEnv;
  private final LoadFaults main;

  LostAckFault(Cluster cluster, Scope scope, Map<String, String> orchEnv, LoadFaults main) {
    this.cluster = cluster;
    this.scope = scope;
    this.orchEnv = orchEnv;
    this.main = main;
  }

  Row run(int drops) throws Exception {
    List<String> checks = new ArrayList<>();
    List<Long> retried = new ArrayList<>();
    try (AckDroppingProxy proxy = AckDroppingProxy.to(scope.nats().url())) {
      main.orchestrator().proc().term(Duration.ofSeconds(10));
      Map<String, String> env = new HashMap<>(orchEnv);
      env.put("MESH_NATS_URL", proxy.url());
      Orch lossy = null;
      WireLoad started = null;
      try {
        lossy = cluster.orchestrator(scope, "orchestrator-lost-acks", env);
        WireLoad load = new WireLoad(scope.nats().url(), "la", 2, 4, 0);
        started = load;
        proxy.dropEvery(EVERY, drops);
        if (!Sleep.until(180_000, () -> proxy.dropped().size() >= drops)) {
          checks.add("dropped " + proxy.dropped().size() + " of " + drops + " in 180 s");
        }
        // The appends whose acknowledgement was dropped last are retried after the timeout.
        Sleep.until(30_000, () -> proxy.dropped().stream().allMatch(s -> answered(proxy, s)));
        long t = System.currentTimeMillis();
        if (!Sleep.until(30_000, () -> load.ledger.lastAck.get() > t)) {
          checks.add("no acknowledgement after the last retry");
        }
      } finally {
        if (started != null) {
          started.close();
        }
        if (lossy != null) {
          lossy.proc().term(Duration.ofSeconds(10));
        }
        // Before the audit: it waits for the read models, which only an orchestrator brings up.
        main.replaceOrchestrator(cluster.orchestrator(scope, "orchestrator-main", orchEnv));
      }
      WireLoad load = Objects.requireNonNull(started);
      for (long seq : proxy.dropped()) {
        Duration d = proxy.retriedAfter(seq);
        if (d == null) {
          checks.add("the append stored at " + seq + " was never answered as a duplicate");
        } else {
          retried.add(d.toMillis());
        }
      }
      return Row.of(
          "append acknowledgements lost",
          proxy.dropped().size(),
          main.audit(load.prefixName(), load.ledger),
          Row.spread(retried) + " to the retry's answer",
          checks,
          String.format(
                  Locale.ROOT,
                  "every %dth acknowledgement dropped by a proxy, %d in all; the clients sent %,d"
                      + " commands again",
                  EVERY,
                  proxy.dropped().size(),
                  load.ledger.retries.get())
              + (load.firstError() == null ? "" : "; first refused: " + load.firstError()));
    }
  }

  private static boolean answered(AckDroppingProxy proxy, long seq) {
    return proxy.retriedAfter(seq) != null;
  }
}
