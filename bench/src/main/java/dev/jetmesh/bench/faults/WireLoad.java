package dev.jetmesh.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.bench.faults.Wire.Reply;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A load from outside the mesh, as its clients and agents make it: submitters on {@code
 * mesh.tasks.submit} and claimers doing claim → start → complete, each on its own connection. Every
 * ok reply goes into the {@link Ledger}. A request without a reply is sent again with the same body
 * (the retry after a lost acknowledgement); a claimer whose claim reply was lost learns its task
 * from the {@code ALREADY_ACTIVE} answer, as an agent that restarts does. On {@link #stop},
 * submitters stop and each claimer finishes the task it holds. Thread-safe.
 */
final class WireLoad implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** How long a command is retried across a fault before the claimer gives the task up. */
  private static final long GIVE_UP_MS = 90_000;

  private static final Pattern ACTIVE = Pattern.compile("already has an active task: (\\S+)");

  private final String url;
  private final String prefix;
  final Ledger ledger = new Ledger();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Connection> conns = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger completedCount = new AtomicInteger();
  private final AtomicReference<@Nullable String> firstError = new AtomicReference<>();
  private final int submitLimit;
  private volatile boolean stopping;
  private volatile boolean submitting = true;

  /**
   * Starts {@code submitters} and {@code claimers} for tasks {@code <prefix>-<i>}. With {@code
   * submitLimit} > 0, only that many tasks are submitted.
   */
  WireLoad(String url, String prefix, int submitters, int claimers, int submitLimit) {
    this.url = url;
    this.prefix = prefix;
    this.submitLimit = submitLimit;
    for (int s = 0; s < submitters; s++) {
      Connection nc = conn("submitter-" + s);
      threads.add(Thread.ofPlatform().name(prefix + "-submitter-" + s).start(() -> submitLoop(nc)));
    }
    for (int c = 0; c < claimers; c++) {
      Connection nc = conn("claimer-" + c);
      String node = prefix + "-n" + c;
      threads.add(
          Thread.ofPlatform().name(prefix + "-claimer-" + c).start(() -> claimLoop(nc, node)));
    }
  }

  private Connection conn(String name) {
    Connection nc = Wire.connect(url, "faults-" + prefix + "-" + name);
    conns.add(nc);
    return nc;
  }

  static Map<String, Object> submitBody(String taskId) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("task_id", taskId);
    b.put("title", "fault suite task " + taskId);
    b.put("budget_minutes", 30);
    return b;
  }

  private void submitLoop(Connection nc) {
    while (submitting && !stopping) {
      int i = next.getAndIncrement();
      if (submitLimit > 0 && i >= submitLimit) {
        return;
      }
      String id = prefix + "-" + i;
      long t0 = System.currentTimeMillis();
      while (!stopping && System.currentTimeMillis() - t0 < GIVE_UP_MS) {
        Reply r = Wire.request(nc, "mesh.tasks.submit", submitBody(id), TIMEOUT);
        if (r == null) {
          ledger.retries.incrementAndGet();
          continue;
        }
        if (r.ok()) {
          ledger.submitted.add(id);
          ledger.ack();
        } else if (!r.code().equals("ALREADY_EXISTS")) {
          // ALREADY_EXISTS: an earlier try was appended but its reply lost; not acknowledged
          error("submit " + id + ": " + r.code() + " " + r.error());
          Sleep.millis(100);
          continue;
        }
        break;
      }
    }
  }

  private void claimLoop(Connection nc, String node) {
    // a claim without an answer may have been appended: asked again even when stopping
    long unanswered = 0;
    while (!stopping || (unanswered > 0 && System.currentTimeMillis() - unanswered < GIVE_UP_MS)) {
      Reply r = Wire.request(nc, "mesh.tasks.claim", Map.of("node_id", node), TIMEOUT);
      if (r == null) {
        ledger.retries.incrementAndGet();
        unanswered = unanswered > 0 ? unanswered : System.currentTimeMillis();
        continue;
      }
      unanswered = 0;
      String task;
      long token;
      if (r.ok() && r.data().isObject()) {
        task = r.data().path("task_id").asText();
        token = r.data().path("claim_token").asLong();
        ledger.claimed.put(token, task);
        ledger.ack();
      } else if (r.ok()) {
        if (stopping || (submitLimit > 0 && completedCount.get() >= submitLimit)) {
          return;
        }
        Sleep.millis(10); // nothing queued (or not yet projected)
        continue;
      } else {
        Matcher m = ACTIVE.matcher(r.error());
        JsonNode held = m.find() ? get(nc, m.group(1)) : null;
        if (held == null || !node.equals(held.path("owner").asText())) {
          error("claim: " + r.code() + " " + r.error());
          Sleep.millis(100);
          continue;
        }
        // the claim was appended but its reply lost: carry on with the task, as an agent does
        task = held.path("task_id").asText();
        token = held.path("claim_token").asLong();
      }
      Map<String, Object> ref = Map.of("task_id", task, "node_id", node, "claim_token", token);
      if (command(nc, "start", ref, "running")) {
        ledger.started.add(task + "@" + token);
      }
      if (command(nc, "complete", ref, "completed")) {
        ledger.completed.add(task);
        completedCount.incrementAndGet();
      }
    }
  }

  /**
   * Sends {@code op} until it is answered; true when it was acknowledged. A refusal after a retry
   * is checked against the task: when it is already {@code after}, the earlier try was applied and
   * only its reply was lost (not acknowledged, so not in the ledger).
   */
  private boolean command(Connection nc, String op, Map<String, Object> ref, String after) {
    long t0 = System.currentTimeMillis();
    boolean retried = false;
    while (System.currentTimeMillis() - t0 < GIVE_UP_MS) {
      Reply r = Wire.request(nc, "mesh.tasks." + op, ref, TIMEOUT);
      if (r == null) {
        ledger.retries.incrementAndGet();
        retried = true;
        continue;
      }
      if (r.ok()) {
        ledger.ack();
        return true;
      }
      JsonNode t = get(nc, String.valueOf(ref.get("task_id")));
      if (!(retried && t != null && after.equals(t.path("status").asText()))) {
        error(op + " " + ref.get("task_id") + ": " + r.code() + " " + r.error());
      }
      return false;
    }
    error(op + " " + ref.get("task_id") + ": no answer in " + GIVE_UP_MS + " ms");
    return false;
  }

  private static @Nullable JsonNode get(Connection nc, String task) {
    for (int i = 0; i < 30; i++) {
      Reply r = Wire.request(nc, "mesh.tasks.get", Map.of("task_id", task), TIMEOUT);
      if (r != null && r.ok()) {
        return r.data();
      }
    }
    return null;
  }

  private void error(String e) {
    firstError.compareAndSet(null, e);
  }

  String prefixName() {
    return prefix;
  }

  @Nullable String firstError() {
    return firstError.get();
  }

  int completed() {
    return completedCount.get();
  }

  /** Stops submitting; claimers go on. */
  void stopSubmitting() {
    submitting = false;
  }

  /** Stops, letting each claimer finish the task it holds; waits for every thread. */
  void stop() {
    submitting = false;
    stopping = true;
    join();
  }

  /** Waits for every thread (a bounded load ends by itself). */
  void join() {
    for (Thread t : threads) {
      try {
        t.join(GIVE_UP_MS * 3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
    for (Connection c : conns) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
