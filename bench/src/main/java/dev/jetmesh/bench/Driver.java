package dev.jetmesh.bench;

import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Load over NATS request/reply, as clients do it: pipelined submitters on {@code
 * mesh.tasks.submit}, and claimers doing claim → start → complete with the reference agent's
 * payloads ({@code {node_id}}, then {@code {task_id,node_id,claim_token}}). Latencies are recorded
 * in microseconds.
 */
final class Driver {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ERRORS = 1_000;

  /** The subjects' prefix of the mesh's task requests (the claim floor has its own). */
  static final String TASKS = "mesh.tasks.";

  private Driver() {}

  /** A latency histogram in microseconds, up to one hour, 3 significant digits. */
  static Histogram histogram() {
    return new Histogram(TimeUnit.HOURS.toMicros(1), 3);
  }

  static byte[] submitBody(String taskId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task_id", taskId);
    body.put("title", "bench task " + taskId);
    body.put("description", "A task submitted by the jetmesh load driver; nothing runs it.");
    body.put("budget_minutes", 30);
    return json(body);
  }

  static byte[] json(Object o) {
    try {
      return Json.mapper().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The outcome of a submission run. */
  record SubmitResult(int ok, int failed, @Nullable String firstError, long nanos) {
    double perSecond() {
      return ok / (nanos / 1e9);
    }
  }

  /**
   * Submits tasks {@code prefix-<from>} … {@code prefix-<from+count-1>} with {@code submitters}
   * threads, each keeping {@code window} requests in flight on its own connection.
   */
  static SubmitResult submit(
      String url, String prefix, int from, int count, int submitters, int window, Duration max)
      throws InterruptedException {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    AtomicInteger next = new AtomicInteger(from);
    int end = from + count;
    long deadline = System.nanoTime() + max.toNanos();
    List<Thread> threads = new ArrayList<>();
    List<Connection> conns = new ArrayList<>();
    for (int s = 0; s < submitters; s++) {
      conns.add(Mesh.connect(url, "jetmesh-bench-submitter-" + s));
    }
    long t0 = System.nanoTime();
    for (int s = 0; s < submitters; s++) {
      Connection nc = conns.get(s);
      Thread t =
          Thread.ofPlatform()
              .name("submitter-" + s)
              .start(
                  () -> {
                    Semaphore inFlight = new Semaphore(window);
                    try {
                      int i;
                      while ((i = next.getAndIncrement()) < end) {
                        if (System.nanoTime() > deadline || failed.get() > MAX_ERRORS) {
                          break;
                        }
                        inFlight.acquire();
                        CompletableFuture<Message> f =
                            nc.requestWithTimeout(
                                "mesh.tasks.submit", submitBody(prefix + "-" + i), REQUEST_TIMEOUT);
                        var unused =
                            f.whenComplete(
                                (m, ex) -> {
                                  try {
                                    String err = ex != null ? ex.toString() : WireReply.errorOf(m);
                                    if (err == null) {
                                      ok.incrementAndGet();
                                    } else {
                                      failed.incrementAndGet();
                                      firstError.compareAndSet(null, err);
                                    }
                                  } finally {
                                    inFlight.release();
                                  }
                                });
                      }
                      // Wait for this submitter's last replies (bounded by the request timeout).
                      inFlight.tryAcquire(
                          window, REQUEST_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(max.toMillis() + REQUEST_TIMEOUT.toMillis() + 5_000);
    }
    long nanos = System.nanoTime() - t0;
    for (Connection c : conns) {
      c.close();
    }
    return new SubmitResult(ok.get(), failed.get(), firstError.get(), nanos);
  }

  /** The outcome of a claim run. */
  record ClaimRun(
      Histogram claim,
      Histogram start,
      Histogram complete,
      Histogram replace,
      int completed,
      long emptyClaims,
      int errors,
      @Nullable String firstError,
      long nanos,
      boolean timedOut) {
    double perSecond() {
      return completed / (nanos / 1e9);
    }
  }

  /**
   * {@code claimers} threads, each with its own connection and node id, run {@code cycles} claim →
   * start → complete cycles in all, on {@code prefix}{@code claim|start|complete|submit} ({@link
   * #TASKS}, or the claim floor's). The first {@code warmup} cycles are not recorded. With {@code
   * replacePrefix}, every completed task is replaced by a new submission, so that the queue depth
   * stays constant. A claim that finds nothing (the queue is empty or not yet projected) gives its
   * cycle back and is counted as empty.
   */
  static ClaimRun claimLoop(
      String prefix,
      String url,
      String runId,
      int claimers,
      int cycles,
      int warmup,
      @Nullable String replacePrefix,
      long pauseMillis,
      Duration max)
      throws InterruptedException {
    int total = cycles + warmup;
    AtomicInteger remaining = new AtomicInteger(total);
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong empties = new AtomicLong();
    AtomicInteger replaced = new AtomicInteger();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    long deadline = System.nanoTime() + max.toNanos();
    List<Histogram[]> perThread = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    List<Connection> conns = new ArrayList<>();
    for (int w = 0; w < claimers; w++) {
      conns.add(Mesh.connect(url, "jetmesh-bench-claimer-" + w));
    }
    long t0 = System.nanoTime();
    for (int w = 0; w < claimers; w++) {
      Histogram[] h = {histogram(), histogram(), histogram(), histogram()};
      perThread.add(h);
      Connection nc = conns.get(w);
      String node = runId + "-n" + w;
      byte[] claimBody = json(Map.of("node_id", node));
      Thread t =
          Thread.ofPlatform()
              .name("claimer-" + w)
              .start(
                  () -> {
                    try {
                      while (System.nanoTime() < deadline && errors.get() < MAX_ERRORS) {
                        int ticket = remaining.getAndDecrement();
                        if (ticket <= 0) {
                          return;
                        }
                        boolean record = total - ticket >= warmup;
                        long c0 = System.nanoTime();
                        Message m = nc.request(prefix + "claim", claimBody, REQUEST_TIMEOUT);
                        long c1 = System.nanoTime();
                        ClaimReply claim = ClaimReply.of(m);
                        switch (claim.kind()) {
                          case REFUSED -> {
                            remaining.incrementAndGet(); // nothing claimed: the cycle is retried
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "claim: " + claim.error());
                            continue;
                          }
                          case UNUSABLE -> {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "claim: " + claim.error());
                            continue;
                          }
                          case EMPTY -> {
                            remaining.incrementAndGet();
                            empties.incrementAndGet();
                            Thread.sleep(1);
                            continue;
                          }
                          case TASK -> {}
                        }
                        if (record) {
                          h[0].recordValue((c1 - c0) / 1_000);
                        }
                        byte[] ref =
                            json(
                                Map.of(
                                    "task_id", Objects.requireNonNull(claim.taskId()),
                                    "node_id", node,
                                    "claim_token", claim.claimToken()));
                        if (!step(
                                nc, prefix + "start", ref, record ? h[1] : null, errors, firstError)
                            || !step(
                                nc,
                                prefix + "complete",
                                ref,
                                record ? h[2] : null,
                                errors,
                                firstError)) {
                          continue;
                        }
                        completed.incrementAndGet();
                        if (replacePrefix != null) {
                          step(
                              nc,
                              prefix + "submit",
                              submitBody(replacePrefix + "-" + replaced.getAndIncrement()),
                              record ? h[3] : null,
                              errors,
                              firstError);
                        }
                        if (pauseMillis > 0) {
                          Thread.sleep(pauseMillis); // paced: an offered load, not a closed loop
                        }
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, e.toString());
                    }
                  });
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(max.toMillis() + REQUEST_TIMEOUT.toMillis() * 4 + 5_000);
    }
    long nanos = System.nanoTime() - t0;
    for (Connection c : conns) {
      c.close();
    }
    Histogram[] sum = {histogram(), histogram(), histogram(), histogram()};
    for (Histogram[] h : perThread) {
      for (int i = 0; i < sum.length; i++) {
        sum[i].add(h[i]);
      }
    }
    return new ClaimRun(
        sum[0],
        sum[1],
        sum[2],
        sum[3],
        completed.get(),
        empties.get(),
        errors.get(),
        firstError.get(),
        nanos,
        remaining.get() > 0);
  }

  private static boolean step(
      Connection nc,
      String subject,
      byte[] body,
      @Nullable Histogram h,
      AtomicInteger errors,
      AtomicReference<@Nullable String> firstError)
      throws InterruptedException {
    long t0 = System.nanoTime();
    Message m = nc.request(subject, body, REQUEST_TIMEOUT);
    long t1 = System.nanoTime();
    String err = WireReply.errorOf(m);
    if (err != null) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, subject + ": " + err);
      return false;
    }
    if (h != null) {
      h.recordValue((t1 - t0) / 1_000);
    }
    return true;
  }
}
