package dev.jetmesh.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.bench.faults.Cluster.Scope;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Worker processes killed mid-attempt and mid-collaboration-round, and SIGTERM of workers and of
 * the orchestrator, on a mesh of two orchestrators with short stall timers (a silent node is
 * alive-checked after 30 s). Not thread-safe.
 */
final class WorkerFaults implements AutoCloseable {
  /** Orchestrator settings of this mesh: stalls and dead members found in seconds. */
  static final Map<String, String> FAST =
      Map.of(
          "MESH_STALL_MINUTES", "0.5",
          "MESH_STALL_CHECK_SECONDS", "1",
          "MESH_ALIVE_TIMEOUT_MS", "1500",
          "MESH_SWEEP_SECONDS", "0.5");

  private final Cluster cluster;
  private final Scope scope;
  private final Connection nc;
  private final List<Orch> orchs = new ArrayList<>();
  private final Path fakeLlm;

  /** Tasks the other workers run while one is stopped. */
  private static final int LOAD_TASKS = 10;

  WorkerFaults(Cluster cluster) {
    this.cluster = cluster;
    this.scope = cluster.scope("workers");
    orchs.add(cluster.orchestrator(scope, "orchestrator-w1", FAST));
    orchs.add(cluster.orchestrator(scope, "orchestrator-w2", FAST));
    this.nc = Wire.connect(scope.nats().url(), "faults-workers");
    this.fakeLlm = fakeLlm(cluster.dir());
  }

  /**
   * A stand-in for Claude Code's CLI ({@code claude -p <prompt> --output-format json ...}, as the
   * worker runs it): sleeps, writes a file, and in a collaboration round answers with a reflection
   * that votes converged. The prompt is the argument after {@code -p}; until 2026-12-07 the script
   * took the last argument, never saw a round's prompt, and every reflection was a parse error.
   */
  private static Path fakeLlm(Path dir) {
    String script =
        """
        #!/usr/bin/env bash
        prompt=""
        prev=""
        for a in "$@"; do
          if [[ "$prev" == "-p" ]]; then prompt="$a"; fi
          prev="$a"
        done
        sleep "${FAKE_LLM_SLEEP:-0}" &
        if [[ -n "${FAKE_LLM_PID_FILE:-}" ]]; then echo "$$ $!" > "$FAKE_LLM_PID_FILE"; fi
        wait
        echo worked > "${FAKE_LLM_WRITE:-fake.txt}"
        re='# Collaboration round ([0-9]+):'
        if [[ "$prompt" =~ $re ]]; then
          printf '```json\\n{"reflection":{"summary":"round %s","learnings":"none","confidence":0.9,"vote":"converged"}}\\n```\\n' "${BASH_REMATCH[1]}"
        else
          echo done
        fi
        """;
    try {
      Path p = dir.resolve("fake-llm");
      Files.writeString(p, script);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Scope scope() {
    return scope;
  }

  private Proc worker(String node, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("MESH_LLM_PROVIDER", "claude");
    env.put("CLAUDE_PATH", fakeLlm.toString());
    env.put("FAKE_LLM_WRITE", node + ".txt");
    return cluster.worker(scope, node, env);
  }

  private JsonNode get(String task) {
    Wire.Reply r =
        Wire.request(nc, "mesh.tasks.get", Map.of("task_id", task), Duration.ofSeconds(5));
    return r != null && r.ok() ? r.data() : Wire.JSON.nullNode();
  }

  private void submit(Map<String, Object> body) {
    Wire.Reply r = Wire.request(nc, "mesh.tasks.submit", body, Duration.ofSeconds(5));
    if (r == null || !r.ok()) {
      throw new IllegalStateException("submit " + body.get("task_id") + ": " + r);
    }
  }

  /**
   * kill -9 of the worker running a task; the operator removes the node ({@code jetmesh node
   * remove}), the task goes back to the queue and another worker completes it.
   */
  Row killMidAttempt() {
    List<String> checks = new ArrayList<>();
    Path pid = cluster.dir().resolve("wk-a.pid");
    Proc a = worker("wk-a", Map.of("FAKE_LLM_SLEEP", "5", "FAKE_LLM_PID_FILE", pid.toString()));
    submit(Map.of("task_id", "wk-task", "title", "killed mid-attempt", "budget_minutes", 30));
    if (!Sleep.until(30_000, () -> LlmProcess.pids(pid).size() == 2)) {
      checks.add("wk-task's LLM never ran: " + get("wk-task") + "\n" + a.tail(10));
    }
    long t0 = System.currentTimeMillis();
    a.kill9();
    String llm = LlmProcess.diesWithWorker(pid, a, checks);
    Proc b = worker("wk-b", Map.of("FAKE_LLM_SLEEP", "1"));
    Cluster.Run rm =
        cluster.cli(
            scope, List.of("node", "remove", "wk-a", "--reason", "killed by the fault suite"));
    if (rm.status() != 0) {
      checks.add("node remove exited " + rm.status() + ": " + rm.output());
    }
    boolean done =
        Sleep.until(60_000, () -> get("wk-task").path("status").asText().equals("completed"));
    long took = System.currentTimeMillis() - t0;
    JsonNode t = get("wk-task");
    if (!done || !"wk-b".equals(t.path("owner").asText())) {
      checks.add(
          "wk-task not completed by wk-b: " + t.path("status") + " owner " + t.path("owner"));
    }
    b.term(Duration.ofSeconds(5));
    return Row.check(
        "kill -9 worker mid-attempt",
        1,
        secs(took) + " to completed by another worker",
        checks,
        llm);
  }

  /**
   * kill -9 of a collaboration member while its LLM runs round 1: it is marked dead once, and the
   * session goes on with the others to a completed parent; each round started and evaluated once
   * (two orchestrators decide).
   */
  Row killMidRound() throws Exception {
    List<String> checks = new ArrayList<>();
    Proc a = worker("cl-a", Map.of("FAKE_LLM_SLEEP", "1"));
    Proc b = worker("cl-b", Map.of("FAKE_LLM_SLEEP", "1"));
    Map<String, Object> collab =
        Map.of(
            "mode",
            "parallel",
            "min_nodes",
            2,
            "max_nodes",
            3,
            "max_rounds",
            3,
            "join_window_s",
            60,
            "round_timeout_s",
            120,
            "convergence",
            Map.of("type", "unanimous"));
    submit(Map.of("task_id", "cl-task", "title", "killed mid-round", "collaboration", collab));
    String sid =
        Sleep.until(20_000, () -> !get("cl-task").path("collab_session_id").asText().isEmpty())
            ? get("cl-task").path("collab_session_id").asText()
            : "";
    if (!Sleep.until(90_000, () -> members(sid) >= 2)) {
      checks.add("cl-a and cl-b did not join " + sid);
    }
    Path pid = cluster.dir().resolve("cl-c.pid");
    Proc c = worker("cl-c", Map.of("FAKE_LLM_SLEEP", "120", "FAKE_LLM_PID_FILE", pid.toString()));
    if (!Sleep.until(60_000, () -> LlmProcess.pids(pid).size() == 2)) {
      checks.add("cl-c never started its round:\n" + c.tail(10));
    }
    long t0 = System.currentTimeMillis();
    c.kill9();
    String llm = LlmProcess.diesWithWorker(pid, c, checks);
    boolean done =
        Sleep.until(90_000, () -> get("cl-task").path("status").asText().equals("completed"));
    long took = System.currentTimeMillis() - t0;
    if (!done) {
      checks.add("cl-task is " + get("cl-task").path("status") + " 90 s after the kill");
    }
    List<Audit.Event> events = Audit.readStream(nc, scope.stream());
    Map<String, Integer> counts = collabEvents(events, sid);
    long dead =
        events.stream()
            .filter(e -> e.aggregateId().equals(sid))
            .filter(e -> e.type().equals("collab.node_marked_dead"))
            .filter(e -> e.payload().path("node_id").asText().equals("cl-c"))
            .count();
    if (dead != 1) {
      checks.add("cl-c marked dead " + dead + " times");
    }
    // Every event of the session is one decision or one member's act, at most once each.
    counts.forEach(
        (k, v) -> {
          if (v > 1) {
            checks.add(k + " decided " + v + " times");
          }
        });
    // Both live members vote converged: the session must converge, not run out of rounds.
    boolean converged =
        events.stream()
            .anyMatch(
                e ->
                    e.aggregateId().equals(sid)
                        && e.type().equals("collab.completed")
                        && !e.payload().path("max_rounds_reached").asBoolean(true));
    if (done && !converged) {
      checks.add("the session did not converge (its members' votes were not read)");
    }
    long parentDone =
        events.stream()
            .filter(e -> e.aggregateId().equals("cl-task"))
            .filter(e -> e.type().equals("task.completed"))
            .count();
    if (done && parentDone != 1) {
      checks.add("cl-task completed " + parentDone + " times");
    }
    a.term(Duration.ofSeconds(5));
    b.term(Duration.ofSeconds(5));
    return Row.check(
        "kill -9 worker mid-collab-round",
        1,
        secs(took) + " to session completed",
        checks,
        "2 orchestrators (one leads); "
            + counts.size()
            + " distinct collab events, none twice; the parent completed once"
            + (llm.isEmpty() ? "" : "; " + llm));
  }

  private int members(String sid) {
    try (java.sql.Connection c = cluster.pg.connect(scope.database());
        var ps = c.prepareStatement("SELECT count(*) FROM collab_members WHERE session_id = ?")) {
      ps.setString(1, sid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (java.sql.SQLException e) {
      return 0;
    }
  }

  /**
   * The session's events by what they decide: type, round, node (a member's, or the one a
   * reflection is from) and, for a turn, whose turn it became; each key should appear once.
   */
  private static Map<String, Integer> collabEvents(List<Audit.Event> events, String sid) {
    Map<String, Integer> out = new HashMap<>();
    for (Audit.Event e : events) {
      if (!e.aggregateId().equals(sid)) {
        continue;
      }
      JsonNode p = e.payload();
      String key =
          String.join(
              ":",
              e.type(),
              p.path("round_number").asText(""),
              p.path("node_id").asText(p.path("reflection").path("node_id").asText("")),
              p.path("current_turn").asText(""));
      out.merge(key, 1, Integer::sum);
    }
    return out;
  }

  /**
   * SIGTERM of a worker holding a running task while two other workers run a queue of tasks: it is
   * gone within 2 s, its task is handed back (not left claimed by it), and the others finish the
   * queue.
   */
  Row sigtermWorker() {
    List<String> checks = new ArrayList<>();
    List<Proc> procs = new ArrayList<>();
    try {
      return sigtermWorker(checks, procs);
    } finally {
      procs.forEach(p -> p.term(Duration.ofSeconds(5)));
    }
  }

  private Row sigtermWorker(List<String> checks, List<Proc> procs) {
    // The one to stop first, so that it has a task before the others take the queue.
    Proc w = worker("st-w", Map.of("FAKE_LLM_SLEEP", "60"));
    procs.add(w);
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < LOAD_TASKS; i++) {
      tasks.add("st-load-" + i);
      submit(Map.of("task_id", "st-load-" + i, "title", "load at SIGTERM", "budget_minutes", 30));
    }
    String held = Sleep.until(30_000, () -> !runningOn("st-w").isEmpty()) ? runningOn("st-w") : "";
    if (held.isEmpty()) {
      checks.add("st-w never ran a task");
    }
    procs.add(worker("st-x1", Map.of("FAKE_LLM_SLEEP", "1")));
    procs.add(worker("st-x2", Map.of("FAKE_LLM_SLEEP", "1")));
    if (!Sleep.until(30_000, () -> !(runningOn("st-x1") + runningOn("st-x2")).isEmpty())) {
      checks.add("neither st-x1 nor st-x2 ran a task");
    }
    long waiting =
        tasks.stream().filter(t -> !t.equals(held) && !status(t).equals("completed")).count();
    long ms = w.term(Duration.ofSeconds(10));
    if (ms < 0 || ms > 2000) {
      checks.add("worker took " + (ms < 0 ? "> 10 s" : ms + " ms") + " to stop");
    }
    String handedBack = "";
    if (!held.isEmpty()) {
      Sleep.until(5_000, () -> !status(held).matches("claimed|running"));
      handedBack = status(held);
      if (handedBack.matches("claimed|running")) {
        checks.add(held + " left " + handedBack + " by the stopped worker");
      }
    }
    List<String> others = tasks.stream().filter(t -> !t.equals(held)).toList();
    if (!Sleep.until(60_000, () -> others.stream().allMatch(t -> status(t).equals("completed")))) {
      checks.add(
          "the other workers did not finish the queue: "
              + others.stream().map(t -> t + " " + status(t)).toList());
    }
    return Row.check(
        "SIGTERM worker holding a task, under load",
        1,
        ms + " ms to exit",
        checks,
        String.format(
            Locale.ROOT,
            "task handed back: %s; %d other tasks queued or running on 2 workers at the SIGTERM,"
                + " all completed",
            handedBack,
            waiting));
  }

  /** The task {@code node} runs now, or empty. */
  private String runningOn(String node) {
    Wire.Reply r =
        Wire.request(
            nc,
            "mesh.tasks.list",
            Map.of("owner", node, "status", "running"),
            Duration.ofSeconds(5));
    return r != null && r.ok() && r.data().size() > 0
        ? r.data().get(0).path("task_id").asText()
        : "";
  }

  private String status(String task) {
    return get(task).path("status").asText();
  }

  static String secs(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1e3);
  }

  @Override
  public void close() {
    for (Orch o : orchs) {
      o.proc().term(Duration.ofSeconds(10));
    }
    try {
      nc.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
