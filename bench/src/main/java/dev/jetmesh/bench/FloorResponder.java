package dev.jetmesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The claim floor's responder: the least a server can do for the load driver's claim → start →
 * complete → submit cycle over this machine's NATS, run as its own process as the orchestrator is.
 * It answers {@code floor.claim}, {@code floor.start}, {@code floor.complete} and {@code
 * floor.submit} the way {@code RequestRouter} answers {@code mesh.tasks.*} (each request on a
 * virtual thread), and each answer costs what the orchestrator's own must cost: one JetStream
 * append, with a message id and the subject's expected last sequence, to a stream configured like
 * the event store's, before the reply. It decides nothing, projects nothing and touches no
 * database: what a claim costs beyond this is the orchestrator's. Prints {@code ready} once it
 * serves; stops when its standard input closes.
 *
 * <p>Usage: {@code java -cp <bench classpath> dev.jetmesh.bench.FloorResponder <nats url>}
 */
public final class FloorResponder {
  static final String STREAM = "BENCH_FLOOR";
  static final String PREFIX = "floor.";
  private static final String EVENTS = "floor.evt.";

  // About the size of a claimed task as the orchestrator sends it back.
  private static final String PAD = "x".repeat(480);

  private final Connection nc;
  private final JetStream js;
  private final AtomicLong next = new AtomicLong();
  private final ConcurrentHashMap<String, Long> lastSeq = new ConcurrentHashMap<>();

  private FloorResponder(Connection nc) throws IOException {
    this.nc = nc;
    this.js = nc.jetStream();
  }

  public static void main(String[] args) throws Exception {
    Connection nc = Mesh.connect(args[0], "jetmesh-bench-floor");
    createStream(nc);
    FloorResponder r = new FloorResponder(nc);
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    var d = nc.createDispatcher(msg -> workers.execute(() -> r.serve(msg)));
    d.subscribe(PREFIX + "*", "floor");
    nc.flush(Duration.ofSeconds(5));
    System.out.println("ready");
    System.out.flush();
    CountDownLatch stdinClosed = new CountDownLatch(1);
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // the bench writes nothing; end of input is the signal to stop
                }
              } catch (IOException e) {
                // treated as closed
              }
              stdinClosed.countDown();
            });
    stdinClosed.await();
    nc.close();
    workers.shutdownNow();
  }

  /** A stream set up as the event store sets up its own, on the floor's subjects. */
  private static void createStream(Connection nc) throws IOException, JetStreamApiException {
    var jsm = nc.jetStreamManagement();
    try {
      jsm.deleteStream(STREAM);
    } catch (JetStreamApiException e) {
      // none yet
    }
    jsm.addStream(EventStore.streamConfiguration(STREAM, EVENTS + ">"));
  }

  private void serve(Message msg) {
    try {
      String verb = msg.getSubject().substring(PREFIX.length());
      JsonNode body = Json.mapper().readTree(msg.getData());
      // A claim picks a task; start, complete and submit name theirs.
      String taskId =
          verb.equals("claim") ? "f" + next.incrementAndGet() : body.path("task_id").asText();
      long seq = append(taskId, verb, body);
      ObjectNode task = Json.mapper().createObjectNode();
      task.put("task_id", taskId).put("claim_token", seq).put("status", verb).put("doc", PAD);
      ObjectNode reply = Json.mapper().createObjectNode();
      reply.put("ok", true).set("data", task);
      nc.publish(msg.getReplyTo(), Json.mapper().writeValueAsBytes(reply));
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      nc.publish(
          msg.getReplyTo(),
          ("{\"ok\":false,\"error\":\"" + e.getClass().getSimpleName() + "\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  /** One event appended to the task's subject, expecting what this responder appended last. */
  private long append(String taskId, String verb, JsonNode body)
      throws IOException, JetStreamApiException {
    ObjectNode event = Json.mapper().createObjectNode();
    event.put("event_id", UUID.randomUUID().toString()).put("type", "floor." + verb);
    event.put("aggregate_id", taskId).put("pad", PAD).set("data", body);
    long expected = lastSeq.getOrDefault(taskId, 0L);
    long seq =
        js.publish(
                EVENTS + taskId,
                new Headers().put(EventStore.HEADER_TYPE, "floor." + verb),
                Json.mapper().writeValueAsBytes(event),
                PublishOptions.builder()
                    .expectedStream(STREAM)
                    .messageId(event.path("event_id").asText())
                    .expectedLastSubjectSequence(expected)
                    .build())
            .getSeqno();
    if (verb.equals("complete")) {
      lastSeq.remove(taskId);
    } else {
      lastSeq.put(taskId, seq);
    }
    return seq;
  }
}
