package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what the worker adds to a task, with the shell provider running {@code true}: from the
 * claim (the {@code task.claimed} event's time) to the start of the provider process, and from the
 * end of that process to the completion (the {@code task.completed} event's time). The process
 * times come from {@code fake-llm/timed-bash}, which stands in for /bin/bash and stamps its own
 * start and the end of the real bash with bash's clock; orchestrator, worker and bash share the
 * host's clock. One worker process works through tasks queued in advance. Prints p50/p95/max to
 * stdout and to {@code target/worker-overhead.txt}; asserts only that every task was measured.
 * {@code -Djetmesh.overhead.tasks=N} changes the number of {@code true} tasks (default 50).
 */
class WorkerOverheadIT {
  private static E2eMesh mesh;

  @TempDir Path tmp;

  @BeforeAll
  static void startMesh() {
    mesh = E2eMesh.start(Map.of());
  }

  @AfterAll
  static void stopMesh() {
    mesh.close();
  }

  @Test
  void overheadPerTask_withTheShellProviderRunningTrue() throws Exception {
    int n = Integer.getInteger("jetmesh.overhead.tasks", 50);
    Sandbox box = E2eMesh.sandbox(tmp);
    Path timedBash = E2eMesh.script(tmp.resolve("bin"), "timed-bash");
    Path timings = tmp.resolve("timings.log");
    Map<String, String> env = mesh.workerEnv("node-bench", box, 1);
    env.put("SHELL_PATH", timedBash.toString());
    env.put("TIMED_BASH_LOG", timings.toString());
    // Realistic heartbeat and poll intervals: the queue is full, so neither is waited on.
    env.put("MESH_HEARTBEAT_INTERVAL", "60000");
    env.put("MESH_POLL_INTERVAL", "1000");

    StringBuilder report = new StringBuilder();
    try (WorkerProcess w = WorkerProcess.start(env, tmp.resolve("log"))) {
      report.append(measure("true", n, i -> "true", timings, w));
      // The same with a one-file change, so that commit and merge are in the second figure.
      report.append(measure("write", n / 2, i -> "printf 'x\\n' > f-" + i + ".txt", timings, w));
    }
    System.out.print(report);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("worker-overhead.txt"), report);
    }
  }

  private static String measure(
      String label, int n, IntFunction<String> script, Path timings, WorkerProcess w)
      throws IOException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = String.format(Locale.ROOT, "ovh-%s-%03d", label, i);
      ids.add(id);
      mesh.submit(
          id,
          Map.of(
              "title",
              "overhead " + label + " " + i,
              "llm_provider",
              "shell",
              "description",
              script.apply(i)));
    }
    Instant begun = Instant.now();
    await()
        .atMost(Duration.ofSeconds(30 + n))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                ((Number)
                            mesh.rows(
                                    "SELECT count(*) AS c FROM tasks WHERE status = 'completed'"
                                        + " AND task_id LIKE ?",
                                    "ovh-" + label + "-%")
                                .get(0)
                                .get("c"))
                        .intValue()
                    == n,
            done -> done);
    Duration wall = Duration.between(begun, Instant.now());

    Map<String, Instant[]> proc = new HashMap<>();
    for (String line : Files.readAllLines(timings)) {
      String[] f = line.split(" ");
      Instant at = epoch(f[2]);
      proc.computeIfAbsent(f[0], k -> new Instant[2])[f[1].equals("start") ? 0 : 1] = at;
    }
    Map<String, Map<String, Instant>> events = new HashMap<>();
    for (Map<String, Object> r :
        mesh.rows(
            "SELECT aggregate_id, type, occurred_at FROM event_log WHERE aggregate_id LIKE ?",
            "ovh-" + label + "-%")) {
      events
          .computeIfAbsent((String) r.get("aggregate_id"), k -> new HashMap<>())
          .put((String) r.get("type"), (Instant) r.get("occurred_at"));
    }
    List<Double> toStart = new ArrayList<>();
    List<Double> toComplete = new ArrayList<>();
    List<Double> inProcess = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    for (String id : ids) {
      Instant[] p = proc.get(id);
      Map<String, Instant> e = events.get(id);
      assertThat(p).as("process times of %s; log:%n%s", id, w.log()).isNotNull();
      assertThat(p[0]).as("start of %s", id).isNotNull();
      assertThat(p[1]).as("end of %s", id).isNotNull();
      Instant claimed = e.get("task.claimed");
      Instant completed = e.get("task.completed");
      toStart.add(ms(claimed, p[0]));
      inProcess.add(ms(p[0], p[1]));
      toComplete.add(ms(p[1], completed));
      total.add(ms(claimed, completed));
    }
    assertThat(toStart).allMatch(d -> d >= -1, "process starts after the claim");
    assertThat(toComplete).allMatch(d -> d >= -1, "completion after the process ends");
    return String.format(
        Locale.ROOT,
        "worker overhead, shell provider running %s, %d tasks, one worker, %.1f tasks/s:%n"
            + "  claim -> process start    %s%n"
            + "  process (timed-bash)      %s%n"
            + "  process end -> completed  %s%n"
            + "  claim -> completed        %s%n",
        label.equals("true") ? "`true`" : "`printf x > f-<i>.txt` (commit + merge)",
        n,
        n / (wall.toMillis() / 1000.0),
        stats(toStart),
        stats(inProcess),
        stats(toComplete),
        stats(total));
  }

  private static Instant epoch(String secondsDotMicros) {
    BigDecimal s = new BigDecimal(secondsDotMicros);
    long whole = s.longValue();
    long nanos = s.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
    return Instant.ofEpochSecond(whole, nanos);
  }

  private static double ms(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static String stats(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(null);
    return String.format(
        Locale.ROOT,
        "p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms   first %7.1f ms",
        pct(v, 50),
        pct(v, 95),
        v.get(v.size() - 1),
        values.get(0));
  }

  /** Nearest-rank percentile of sorted values. */
  private static double pct(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
