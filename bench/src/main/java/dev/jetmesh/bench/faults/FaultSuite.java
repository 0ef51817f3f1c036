package dev.jetmesh.bench.faults;

import dev.jetmesh.bench.faults.Cluster.Scope;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fault suite (docs/faults.md): every fault against real processes, one table, exit 1 when a
 * row lost or duplicated an event or failed its check. Settings (system properties): {@code
 * faults.root} (the checkout), {@code faults.kills} (orchestrator kills, 20), {@code
 * faults.pgStopSeconds} (30), {@code faults.tasks} (tasks per orchestrator count, 2000), {@code
 * faults.lostAcks} (acknowledgements the lost-acks row drops, 8), {@code faults.only}
 * (comma-separated fault names; all when empty).
 */
public final class FaultSuite {
  /** A fault that fails with an exception gets a failed row, and the suite goes on. */
  private interface Fault {
    Row run() throws Exception;
  }

  private final List<Row> rows = new ArrayList<>();
  private final Set<String> only;

  private FaultSuite(Set<String> only) {
    this.only = only;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("faults.root", "..")).toAbsolutePath().normalize();
    Set<String> only =
        Arrays.stream(System.getProperty("faults.only", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    System.exit(new FaultSuite(only).run(root));
  }

  private boolean wanted(String name) {
    return only.isEmpty() || only.contains(name);
  }

  private void add(String name, String fault, Fault f) {
    if (!wanted(name)) {
      return;
    }
    long t0 = System.nanoTime();
    System.err.printf(Locale.ROOT, "faults: %s ...%n", fault);
    Row r;
    try {
      r = f.run();
    } catch (Exception | AssertionError e) {
      r = Row.check(fault, 0, "-", List.of("stopped: " + e), "");
    }
    rows.add(r);
    System.err.printf(
        Locale.ROOT,
        "faults: %s %s in %.0f s%n",
        fault,
        r.ok() ? "ok" : "FAILED",
        (System.nanoTime() - t0) / 1e9);
    System.err.print(r.markdown());
  }

  private int run(Path root) throws Exception {
    long t0 = System.nanoTime();
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    Path dir = root.resolve("bench/target/faults");
    delete(dir);
    int kills = Integer.getInteger("faults.kills", 20);
    int failovers = Integer.getInteger("faults.failovers", 5);
    int pgStop = Integer.getInteger("faults.pgStopSeconds", 30);
    int tasks = Integer.getInteger("faults.tasks", 2000);
    int lostAcks = Integer.getInteger("faults.lostAcks", 8);
    try (Cluster cluster = new Cluster(root, dir);
        Connection admin = Wire.connect(cluster.nats.url(), "faults-admin")) {
      Scope main = cluster.scope("main");
      Map<String, String> orchEnv = Map.of("MESH_SWEEP_SECONDS", "0.5");
      LoadFaults lf = new LoadFaults(cluster, main, admin, orchEnv);
      add("orchestrators", "1 orchestrator under load", () -> lf.orchestrators(1, tasks));
      add("orchestrators", "2 orchestrators under load", () -> lf.orchestrators(2, tasks));
      add("orchestrators", "3 orchestrators under load", () -> lf.orchestrators(3, tasks));
      add("kill-orchestrator", "kill -9 orchestrator", () -> lf.killOrchestrator(kills));
      add("failover", "kill -9 of the projecting orchestrator", () -> lf.killPrimary(failovers));
      add("kill-nats", "kill -9 nats-server", () -> lf.killNats(3));
      add("stop-postgres", "Postgres stopped", () -> lf.stopPostgres(pgStop));
      EdgeFaults ef = new EdgeFaults(cluster, admin);
      add("duplicates", "duplicate publishes", () -> ef.duplicates(lf, main, 50));
      LostAckFault la = new LostAckFault(cluster, main, orchEnv, lf);
      add("lost-acks", "append acknowledgements lost", () -> la.run(lostAcks));
      add("sigterm", "SIGTERM orchestrator", lf::sigtermOrchestrator);
      if (wanted("workers") || wanted("sigterm")) {
        try (WorkerFaults wf = new WorkerFaults(cluster)) {
          add("workers", "kill -9 worker mid-attempt", wf::killMidAttempt);
          add("workers", "kill -9 worker mid-collab-round", wf::killMidRound);
          add("sigterm", "SIGTERM worker", wf::sigtermWorker);
          add("rebuild", "rebuild --verify (workers mesh)", () -> rebuild(cluster, wf.scope()));
        }
      }
      add("poison", "poison event", () -> ef.badEvent("poison", EdgeFaults.poison(), "poison"));
      add(
          "poison",
          "oversized event",
          () -> ef.badEvent("oversized", EdgeFaults.oversized("oversized-bad"), "oversized"));
      add("rebuild", "rebuild --verify (main mesh)", () -> rebuild(cluster, main));
      lf.orchestrator().proc().term(java.time.Duration.ofSeconds(10));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Fault suite finished at %s after %.0f s, %d cores, load average at start %s%n%n",
            ZonedDateTime.now(java.time.ZoneOffset.UTC)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            secs,
            Runtime.getRuntime().availableProcessors(),
            load));
    md.append(Row.header());
    rows.forEach(r -> md.append(r.markdown()));
    boolean ok = rows.stream().allMatch(Row::ok);
    md.append(ok ? "\nAll rows ok.\n" : "\nFAILED: see the rows marked FAILED.\n");
    System.out.println(md);
    Files.writeString(root.resolve("bench/target/faults-results.md"), md.toString());
    return ok ? 0 : 1;
  }

  private static Row rebuild(Cluster cluster, Scope s) {
    long t0 = System.currentTimeMillis();
    Cluster.Run r = cluster.rebuildVerify(s);
    List<String> checks = new ArrayList<>();
    if (r.status() != 0) {
      checks.add("exit " + r.status() + ": " + r.output().lines().reduce((a, b) -> b).orElse(""));
    }
    String last = r.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
    return Row.check(
        "rebuild --verify after the faults (" + s.name() + " mesh)",
        1,
        WorkerFaults.secs(System.currentTimeMillis() - t0) + " to verify",
        checks,
        last);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
