package dev.jetmesh.bench;

import static dev.jetmesh.bench.Report.ms;
import static dev.jetmesh.bench.Report.say;
import static dev.jetmesh.bench.Report.shortId;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Section 5: reads right after one's own write on a quiet mesh, with the projector's linger ({@code
 * MESH_PROJECTOR_LINGER_MS}, 10 ms by default) and without it (0). The linger batches events that
 * follow one another; this is where it could cost: a client that writes and then reads what the
 * read model shows, one request at a time, as a person or an agent does.
 */
final class ReadsPhase {
  static final List<Integer> LINGERS_MS = List.of(10, 0);
  private static final int ALTERNATIONS = 2;
  private static final long PAUSE_MS = 30;

  /** The figures of one orchestrator process, in microseconds. */
  static final class Run {
    final int lingerMs;
    final Histogram claimAfterSubmit = Driver.histogram();
    final Histogram listAfterSubmit = Driver.histogram();
    final Histogram listAfterComplete = Driver.histogram();
    int misses;
    @Nullable String firstMiss;

    Run(int lingerMs) {
      this.lingerMs = lingerMs;
    }

    void miss(String what) {
      misses++;
      if (firstMiss == null) {
        firstMiss = what;
      }
    }

    Run add(Run other) {
      claimAfterSubmit.add(other.claimAfterSubmit);
      listAfterSubmit.add(other.listAfterSubmit);
      listAfterComplete.add(other.listAfterComplete);
      misses += other.misses;
      if (firstMiss == null) {
        firstMiss = other.firstMiss;
      }
      return this;
    }
  }

  private ReadsPhase() {}

  static void run(BenchConfig c, Mesh m, Report report) throws Exception {
    List<Run> runs = new ArrayList<>();
    int warmTasks = c.warmupTasks() / 4;
    for (int a = 0; a < ALTERNATIONS; a++) {
      for (int linger : LINGERS_MS) {
        m.startOrchestratorProcess(Map.of("MESH_PROJECTOR_LINGER_MS", String.valueOf(linger)));
        try {
          WarmUp.run(c, m, report, "reads", warmTasks);
          // Round A's priorities rise across the processes too: they share the database.
          Run r = measure(m, linger, 1 + runs.size() * (warmupRounds(c) + c.readRounds()), c);
          runs.add(r);
          say(
              "  linger %d ms: claim after submit p50 %s ms, list after submit p50 %s ms, list"
                  + " after complete p50 %s / p99 %s ms, misses %d",
              linger,
              ms(r.claimAfterSubmit.getValueAtPercentile(50)),
              ms(r.listAfterSubmit.getValueAtPercentile(50)),
              ms(r.listAfterComplete.getValueAtPercentile(50)),
              ms(r.listAfterComplete.getValueAtPercentile(99)),
              r.misses);
          if (r.misses > 0) {
            report
                .problems()
                .add(
                    "reads, linger "
                        + linger
                        + " ms: "
                        + r.misses
                        + " reads did not show the write before them (first: "
                        + r.firstMiss
                        + ")");
          }
        } finally {
          m.stopOrchestratorProcess();
        }
      }
    }
    append(report, runs, warmTasks, c);
  }

  /** Unmeasured rounds of each kind before the measured ones: a sixth as many. */
  private static int warmupRounds(BenchConfig c) {
    return Math.max(1, c.readRounds() / 6);
  }

  /** One process: unmeasured rounds, then the measured ones. */
  private static Run measure(Mesh m, int lingerMs, int priorityFrom, BenchConfig c)
      throws Exception {
    Run r = new Run(lingerMs);
    String run = "rd" + shortId();
    Connection nc = Mesh.connect(m.natsUrl(), "jetmesh-bench-reader");
    try {
      int warmup = warmupRounds(c);
      for (int i = 0; i < warmup + c.readRounds(); i++) {
        boolean record = i >= warmup;
        claimThenList(nc, run + "-a" + i, priorityFrom + i, record, r);
        Thread.sleep(PAUSE_MS); // paced: the mesh is quiet when the next write comes
        listThenClaim(nc, run + "-b" + i, record, r);
        Thread.sleep(PAUSE_MS); // and after round B
      }
    } finally {
      nc.close();
    }
    return r;
  }

  /**
   * Submit, claim at once, start, complete, then list the completed tasks. The task's priority is
   * above every task before it, so it heads that list, which reads one row however long the
   * history.
   */
  private static void claimThenList(Connection nc, String id, int priority, boolean record, Run r)
      throws Exception {
    String node = id + "-n";
    Map<String, Object> submit = new LinkedHashMap<>();
    submit.put("task_id", id);
    submit.put("title", "bench task " + id);
    submit.put("priority", priority);
    ok(request(nc, "submit", Driver.json(submit)), "submit");
    long t0 = System.nanoTime();
    WireReply claim = ok(request(nc, "claim", Driver.json(Map.of("node_id", node))), "claim");
    long t1 = System.nanoTime();
    if (!startAndComplete(nc, id, node, claim, (t1 - t0) / 1_000, r)) {
      return;
    }
    long t2 = System.nanoTime();
    List<String> listed = list(nc, Map.of("status", "completed", "limit", 1));
    long t3 = System.nanoTime();
    if (!listed.equals(List.of(id))) {
      r.miss("first completed task right after completing " + id + ": " + listed);
    }
    if (record) {
      r.claimAfterSubmit.recordValue((t1 - t0) / 1_000);
      r.listAfterComplete.recordValue((t3 - t2) / 1_000);
    }
  }

  /** Submit, list the queued tasks at once, then claim, start, complete (not measured). */
  private static void listThenClaim(Connection nc, String id, boolean record, Run r)
      throws Exception {
    String node = id + "-n";
    ok(request(nc, "submit", Driver.submitBody(id)), "submit");
    long t0 = System.nanoTime();
    List<String> listed = list(nc, Map.of("status", "queued", "limit", 1));
    long t1 = System.nanoTime();
    if (!listed.equals(List.of(id))) {
      r.miss("queued tasks right after submitting " + id + ": " + listed);
    }
    if (record) {
      r.listAfterSubmit.recordValue((t1 - t0) / 1_000);
    }
    long t2 = System.nanoTime();
    WireReply claim = ok(request(nc, "claim", Driver.json(Map.of("node_id", node))), "claim");
    var unused = startAndComplete(nc, id, node, claim, (System.nanoTime() - t2) / 1_000, r);
  }

  /**
   * Starts and completes {@code id}, which {@code claim} must have claimed for {@code node}; false
   * (a miss) when it claimed something else.
   */
  private static boolean startAndComplete(
      Connection nc, String id, String node, WireReply claim, long claimMicros, Run r)
      throws Exception {
    if (!id.equals(claim.taskId())) {
      r.miss(
          "claim of the only queued task, "
              + id
              + ", got "
              + claim.taskId()
              + " in "
              + ms(claimMicros)
              + " ms; "
              + settle(nc, id, node, claim));
      return false;
    }
    finish(nc, id, node, claim);
    return true;
  }

  private static void finish(Connection nc, String id, String node, WireReply claim)
      throws Exception {
    byte[] ref =
        Driver.json(
            Map.of(
                "task_id",
                id,
                "node_id",
                node,
                "claim_token",
                Objects.requireNonNull(claim.claimToken())));
    ok(request(nc, "start", ref), "start");
    ok(request(nc, "complete", ref), "complete");
  }

  /**
   * After a claim that did not get {@code id}: completes what it got instead, then claims until it
   * gets {@code id} (for about a second) and completes that, so that one miss stays one miss
   * instead of leaving a task queued that every later round would meet. Says what it saw: whether
   * and when, counted from the missed claim's reply, the task became claimable, which tells a slow
   * read model from a lost write. A request that fails here is told, not thrown: the miss is the
   * problem to report.
   */
  private static String settle(Connection nc, String id, String node, WireReply missed) {
    long t0 = System.nanoTime();
    try {
      String other = missed.taskId();
      if (other != null && missed.claimToken() != null) {
        finish(nc, other, node, missed);
      }
      while (System.nanoTime() - t0 < 1_000_000_000L) {
        WireReply again = ok(request(nc, "claim", Driver.json(Map.of("node_id", node))), "claim");
        String got = again.taskId();
        if (got != null) {
          finish(nc, got, node, again);
          if (id.equals(got)) {
            return "claimed " + ms((System.nanoTime() - t0) / 1_000) + " ms later";
          }
        } else {
          Thread.sleep(5);
        }
      }
      return "not claimable within about 1 s";
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return "following it up failed: " + e;
    }
  }

  private static @Nullable Message request(Connection nc, String verb, byte[] body)
      throws InterruptedException {
    return nc.request(Driver.TASKS + verb, body, Driver.REQUEST_TIMEOUT);
  }

  private static WireReply ok(@Nullable Message m, String what) throws IOException {
    WireReply.Received got = WireReply.Received.of(m);
    if (got.reply() == null) {
      throw new IllegalStateException(what + ": " + got.error());
    }
    return got.reply();
  }

  /** The task ids of a {@code mesh.tasks.list} reply, in its order. */
  private static List<String> list(Connection nc, Map<String, Object> query) throws Exception {
    Message m = request(nc, "list", Driver.json(new LinkedHashMap<>(query)));
    ok(m, "list");
    JsonNode data = Json.mapper().readTree(Objects.requireNonNull(m).getData()).path("data");
    List<String> ids = new ArrayList<>();
    for (JsonNode t : data) {
      ids.add(t.path("task_id").asText());
    }
    return ids;
  }

  private static void append(Report report, List<Run> runs, int warmTasks, BenchConfig c) {
    StringBuilder md = report.md();
    md.append("## 5. Read-your-writes on a quiet mesh: the projector's linger\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "One client on one NATS connection, one request at a time, pausing %d ms after each"
                + " round, against an orchestrator process started with"
                + " `MESH_PROJECTOR_LINGER_MS` = %s, alternating, %d processes each. Each process"
                + " first gets a warm-up round of %,d tasks and %d unmeasured rounds of each kind;"
                + " then %d of each are measured. Round A: submit, claim at once (a claim that"
                + " finds nothing claimable waits for the projector to pass the submission), start,"
                + " complete, then list the completed tasks (the task's priority is above every"
                + " earlier one's, so it heads the list). Round B: submit, then list the"
                + " queued tasks at once. `mesh.tasks.list` waits until the projector has passed"
                + " the process's last append. Every read must show the write before it: a read"
                + " that does not is counted as a miss (and is a problem of the run).%n%n",
            PAUSE_MS,
            String.join(" or ", LINGERS_MS.stream().map(String::valueOf).toList()),
            ALTERNATIONS,
            warmTasks,
            warmupRounds(c),
            c.readRounds()));
    md.append(
        "| linger (ms) | process | claim right after submit p50 / p99 (ms) | list right after"
            + " submit p50 / p99 | list right after complete p50 / p99 | misses |\n"
            + "|---|---|---|---|---|---|\n");
    for (int linger : LINGERS_MS) {
      Run all = new Run(linger);
      int k = 0;
      for (Run r : runs) {
        if (r.lingerMs == linger) {
          md.append(row(String.valueOf(linger), String.valueOf(++k), r));
          all.add(r);
        }
      }
      md.append(row("**" + linger + "**", "**all**", all));
    }
    md.append('\n');
  }

  private static String row(String linger, String process, Run r) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s / %s | %s / %s | %s / %s | %d |%n",
        linger,
        process,
        ms(r.claimAfterSubmit.getValueAtPercentile(50)),
        ms(r.claimAfterSubmit.getValueAtPercentile(99)),
        ms(r.listAfterSubmit.getValueAtPercentile(50)),
        ms(r.listAfterSubmit.getValueAtPercentile(99)),
        ms(r.listAfterComplete.getValueAtPercentile(50)),
        ms(r.listAfterComplete.getValueAtPercentile(99)),
        r.misses);
  }
}
