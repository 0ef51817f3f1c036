package dev.jetmesh.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's knobs, read from system properties ({@code -Dbench.tasks=...}); the defaults are
 * those of docs/benchmarks.md.
 *
 * @param phases which phases run: {@code "e2e"}, {@code "depth"}, {@code "projector"}, {@code
 *     "rebuild"}, {@code "reads"}, {@code "scale"}
 * @param tasks tasks submitted and drained by the end-to-end phase
 * @param warmupTasks tasks submitted and drained, unmeasured, on a freshly started orchestrator
 *     before the end-to-end and depth phases measure it (0: none)
 * @param claimers concurrent claimer threads (W), each with its own NATS connection and node id
 * @param submitters concurrent submitter threads, each with its own NATS connection
 * @param window requests in flight per submitter (pipelining)
 * @param depths queue depths at which claim latency is measured, ascending
 * @param depthClaims measured claims per depth
 * @param warmupClaims unmeasured claims before each depth's measurement
 * @param projectorEvents events in the stream the projector catches up on
 * @param rebuildEvents events in the stream that {@code jetmesh rebuild} rebuilds from
 * @param batch projector batch size (MESH_PROJECTOR_BATCH) and the raw baseline's batch size
 * @param natsUrl an existing NATS server to use instead of a private nats-server (null: private)
 * @param external drive an orchestrator that is already running (only e2e and depth)
 * @param stream stream name of that external orchestrator, to see how far it has projected
 * @param orchestrators the scale phase's configurations: how many orchestrator processes each
 * @param scaleTasks tasks submitted and drained per scale-phase round
 * @param scaleRounds rounds of the scale phase (each configuration once per round)
 * @param readRounds measured rounds of each kind per process of the reads phase (a sixth as many
 *     before them, unmeasured)
 * @param phaseTimeout upper bound of each phase
 * @param out where the results are written as markdown
 */
record BenchConfig(
    Set<String> phases,
    int tasks,
    int warmupTasks,
    int claimers,
    int submitters,
    int window,
    List<Integer> depths,
    int depthClaims,
    int warmupClaims,
    int projectorEvents,
    int rebuildEvents,
    int batch,
    @Nullable String natsUrl,
    boolean external,
    String stream,
    List<Integer> orchestrators,
    int scaleTasks,
    int scaleRounds,
    int readRounds,
    Duration phaseTimeout,
    Path out) {

  static BenchConfig fromSystemProperties() {
    List<Integer> depths = new ArrayList<>();
    for (String d : prop("bench.depths", "1000,10000,100000").split(",", -1)) {
      if (!d.isBlank()) {
        depths.add(Integer.parseInt(d.trim()));
      }
    }
    depths.sort(null);
    String nats = prop("bench.natsUrl", "");
    return new BenchConfig(
        Set.of(prop("bench.phases", "e2e,depth,projector").toLowerCase(Locale.ROOT).split(",")),
        intProp("bench.tasks", 20_000),
        intProp("bench.warmupTasks", 20_000),
        intProp("bench.claimers", 8),
        intProp("bench.submitters", 4),
        intProp("bench.window", 64),
        List.copyOf(depths),
        intProp("bench.depthClaims", 2_000),
        intProp("bench.warmupClaims", 100),
        intProp("bench.projectorEvents", 100_000),
        intProp("bench.rebuildEvents", 1_000_000),
        intProp("bench.batch", 500),
        nats.isBlank() ? null : nats.trim(),
        Boolean.parseBoolean(prop("bench.external", "false")),
        prop("bench.stream", "MESH_EVENTS"),
        ScaleOutBench.parse(prop("bench.orchestrators", "1,2,3")),
        intProp("bench.scaleTasks", 2_000),
        intProp("bench.scaleRounds", 3),
        intProp("bench.readRounds", 300),
        Duration.ofSeconds(intProp("bench.phaseTimeoutSeconds", 240)),
        Path.of(prop("bench.out", "target/bench-results.md")));
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  private static String prop(String name, String def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : v.trim();
  }

  private static int intProp(String name, int def) {
    return Integer.parseInt(prop(name, String.valueOf(def)).replace("_", ""));
  }
}
