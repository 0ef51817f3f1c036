package dev.jetmesh.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Load helpers shared by concurrency and crash tests: bulk submission and claimer loops. */
public final class Load {
  private Load() {}

  /**
   * Submits {@code count} tasks {@code prefix-0 … prefix-(count-1)} with {@code threads} clients.
   */
  public static void submit(String natsUrl, String prefix, int count, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      fs.add(
          pool.submit(
              () -> {
                try (MeshClient c = new MeshClient(natsUrl)) {
                  int i;
                  while ((i = next.getAndIncrement()) < count) {
                    c.task("submit", Map.of("task_id", prefix + "-" + i, "title", "load " + i));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  /**
   * Runs {@code claimers} nodes, each claiming, starting and completing tasks until {@code total}
   * tasks were claimed overall or nothing was claimable for a while. Returns every claimed id, in
   * claim order per node (duplicates kept, so callers can detect a double claim).
   */
  public static List<String> drain(String natsUrl, int claimers, int total) throws Exception {
    ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < claimers; w++) {
      String node = "node-" + w;
      fs.add(
          pool.submit(
              () -> {
                try (MeshClient c = new MeshClient(natsUrl)) {
                  long idleSince = System.nanoTime();
                  while (count.get() < total) {
                    JsonNode t = c.task("claim", Map.of("node_id", node));
                    if (t == null || t.isNull()) {
                      if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(20)) {
                        break;
                      }
                      Thread.onSpinWait();
                      continue;
                    }
                    idleSince = System.nanoTime();
                    String id = t.path("task_id").asText();
                    assertThat(t.path("owner").asText()).isEqualTo(node);
                    claimed.add(id);
                    count.incrementAndGet();
                    long token = t.path("claim_token").asLong();
                    c.task("start", Map.of("task_id", id, "node_id", node, "claim_token", token));
                    c.task(
                        "complete", Map.of("task_id", id, "node_id", node, "claim_token", token));
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    return new ArrayList<>(claimed);
  }
}
