package dev.jetmesh.orchestrator.testing.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * One attack on a running orchestrator: set up the fixtures, wait until they are projected and the
 * state is still, snapshot it, send {@code requests} hostile requests (and the health beats among
 * them) from {@code concurrency} threads, wait for quiet, snapshot again, and check the process
 * still serves. Deterministic for a seed: probe {@code i} is made by maker {@code i mod m} from
 * {@code Random(seed, i)}.
 */
public final class HostileRun {
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private HostileRun() {}

  public static HostileResult run(HostileTarget t, long seed, int requests, int concurrency)
      throws InterruptedException {
    try (Connection nc = connect(t.natsUrl());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HostileFixtures.Known k = HostileFixtures.create(nc);
      StateSnapshot before = settle(t, nc);
      ProcessStats memBefore = ProcessStats.of(t.pid());
      List<WireProbes.Maker> makers = new ArrayList<>(WireProbes.makers(k, t.maxRequestBytes()));
      makers.addAll(HttpProbes.makers(k, t.apiToken()));
      Tally tally = new Tally();
      Sender sender = new Sender(nc, http, t.httpBase(), tally);
      long start = System.nanoTime();
      Semaphore inFlight = new Semaphore(concurrency);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        int replying = 0;
        for (int i = 0; replying < requests; i++) {
          Probe p = makers.get(i % makers.size()).make(i, new Random(seed * 1_000_003L + i));
          if (!(p instanceof Probe.Publish)) {
            replying++;
          }
          inFlight.acquire();
          pool.execute(
              () -> {
                try {
                  sender.send(p);
                } finally {
                  inFlight.release();
                }
              });
        }
      }
      nc.flush(Duration.ofSeconds(10));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      StateSnapshot after = settle(t, nc);
      String serving = serving(t, nc, http, k);
      ProcessStats memAfter = ProcessStats.of(t.pid());
      return new HostileResult(
          seed, makers.size(), tally, before, after, took, memBefore, memAfter, serving);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("NATS did not flush the probes in 10 s", e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach NATS at " + t.natsUrl() + ": " + e, e);
    }
  }

  /**
   * Waits until every projection has reached the stream's end and two snapshots a second apart
   * agree (a last liveness write, a sweep), then returns the second.
   */
  private static StateSnapshot settle(HostileTarget t, Connection nc) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    StateSnapshot last = StateSnapshot.take(t, nc);
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      StateSnapshot now = StateSnapshot.take(t, nc);
      if (now.projected() && now.equals(last)) {
        return now;
      }
      last = now;
    }
    throw new IllegalStateException("the state did not settle in " + SETTLE + ": " + last);
  }

  /**
   * Null when the process is alive, {@code /health} answers 200 with {@code ok:true}, and a
   * well-formed request is served; else what is wrong.
   */
  private static String serving(
      HostileTarget t, Connection nc, HttpClient http, HostileFixtures.Known k)
      throws InterruptedException {
    if (!ProcessHandle.of(t.pid()).map(ProcessHandle::isAlive).orElse(false)) {
      return "the orchestrator process is gone";
    }
    try {
      HttpResponse<String> h =
          http.send(
              HttpRequest.newBuilder(URI.create(t.httpBase() + "/health"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (h.statusCode() != 200 || !Json.mapper().readTree(h.body()).path("ok").asBoolean()) {
        return "/health answered " + h.statusCode() + " " + h.body();
      }
      Message m =
          nc.request(
              "mesh.tasks.get",
              ("{\"task_id\":\"" + k.heldTask() + "\"}").getBytes(StandardCharsets.UTF_8),
              Duration.ofSeconds(10));
      JsonNode r = m == null ? null : Json.mapper().readTree(m.getData());
      if (r == null || !r.path("ok").asBoolean()) {
        return "mesh.tasks.get answered " + r;
      }
      return "";
    } catch (java.io.IOException e) {
      return "not serving: " + e;
    }
  }

  private static Connection connect(String url) throws java.io.IOException, InterruptedException {
    return Nats.connect(
        Options.builder()
            .server(url)
            .connectionName("jetmesh-hostile")
            .maxReconnects(-1)
            .errorListener(new io.nats.client.ErrorListener() {})
            .build());
  }
}
