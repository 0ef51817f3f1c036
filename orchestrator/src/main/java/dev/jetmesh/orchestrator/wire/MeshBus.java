package dev.jetmesh.orchestrator.wire;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.wire.AliveCheck;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core NATS for the aggregates: notifications (at most once, like the reference; the stream is the
 * durable record), the reference's alive checks, and listening to what workers publish (health
 * beats). Aggregates use this instead of the connection, so the way a notification is sent is
 * written once. Thread-safe.
 */
public final class MeshBus {
  private static final Logger LOG = LoggerFactory.getLogger(MeshBus.class);

  private final Connection nc;

  public MeshBus(Connection nc) {
    this.nc = requireNonNull(nc, "null connection");
  }

  /** Publishes {@code body} as JSON; a failure is logged, never thrown. */
  public void publish(String subject, Object body) {
    try {
      nc.publish(subject, Json.mapper().writeValueAsBytes(body));
    } catch (Exception e) {
      LOG.warn("notification on {} not sent: {}", subject, e.toString());
    }
  }

  /**
   * Calls {@code handler} with the subject and body of every message published under {@code
   * wildcard}, one at a time, in the order they arrive, on the subscription's own thread: a later
   * message never overtakes an earlier one (a node's newer health beat is never overwritten by an
   * older one). Handlers must therefore be short. With the same {@code queueGroup} on every
   * orchestrator, each message is handled by one of them. A handler's exception is logged, and the
   * next message is handled as usual.
   *
   * @return closing it unsubscribes
   */
  public AutoCloseable listen(
      String wildcard, String queueGroup, BiConsumer<String, byte[]> handler) {
    Dispatcher d = nc.createDispatcher(msg -> handle(handler, msg.getSubject(), msg.getData()));
    d.subscribe(wildcard, queueGroup);
    return () -> nc.closeDispatcher(d);
  }

  private static void handle(BiConsumer<String, byte[]> handler, String subject, byte[] body) {
    try {
      handler.accept(subject, body);
    } catch (RuntimeException e) {
      LOG.warn("message on {} not handled: {}", subject, e.toString());
    }
  }

  /**
   * Asks each node whether it still works on {@code taskId} ({@code mesh.agent.<node>.alive}), all
   * at once, and returns the nodes that did not answer "alive" within {@code timeout}: no answer,
   * no responders and a garbled answer all mean not alive. Interrupted: returns no node (a process
   * shutting down decides nothing).
   */
  public Set<String> notAlive(Collection<String> nodes, String taskId, Duration timeout) {
    Map<String, CompletableFuture<Message>> asks = new LinkedHashMap<>();
    for (String node : nodes) {
      try {
        byte[] body = Json.mapper().writeValueAsBytes(new AliveCheck.Request(taskId));
        asks.put(node, nc.request(Subjects.agentAlive(node), body));
      } catch (Exception e) {
        asks.put(node, CompletableFuture.failedFuture(e));
      }
    }
    Set<String> dead = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, CompletableFuture<Message>> e : asks.entrySet()) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        Message m = e.getValue().get(left, TimeUnit.NANOSECONDS);
        if (!Json.mapper().readTree(m.getData()).path("alive").asBoolean(false)) {
          dead.add(e.getKey());
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return Set.of();
      } catch (Exception ex) {
        dead.add(e.getKey()); // timeout, no responders, garbled: not alive
      }
    }
    return dead;
  }
}
