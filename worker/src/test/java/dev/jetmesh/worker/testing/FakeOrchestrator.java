package dev.jetmesh.worker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers {@code mesh.tasks.*} and {@code mesh.nodes.*} over real NATS like the orchestrator's wire
 * contract: hands out the queued tasks once each on claim, accepts every other command (unless a
 * refusal was queued for it), records every request as {@code (op, body)} ({@code claim}, {@code
 * nodes.join}, ...) and every health beat as {@code (health, beat)}. Not a model of the
 * orchestrator's rules: the real one is tested with it later.
 */
public final class FakeOrchestrator implements AutoCloseable {
  /** One request the worker made. */
  public record Call(String op, JsonNode body) {}

  /** A refusal to send instead of {@code ok}. */
  public record Refusal(ErrorCode code, String error) {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final Queue<Task> toClaim = new ConcurrentLinkedQueue<>();
  private final Map<String, Queue<Refusal>> refusals = new ConcurrentHashMap<>();
  private final Connection nc;
  private final Dispatcher d;

  public FakeOrchestrator(Connection nc) {
    this.nc = nc;
    this.d = nc.createDispatcher(this::answer);
    d.subscribe("mesh.tasks.*");
    d.subscribe("mesh.nodes.*");
    d.subscribe("mesh.health.*");
    d.subscribe("mesh.as.*.tasks.*"); // what a worker sends: on its node's own subjects
    d.subscribe("mesh.as.*.nodes.*");
  }

  /** The next request of {@code op} is refused with {@code code} and {@code error}. */
  public void refuseNext(String op, ErrorCode code, String error) {
    refusals.computeIfAbsent(op, k -> new ConcurrentLinkedQueue<>()).add(new Refusal(code, error));
  }

  private void answer(Message msg) {
    dev.jetmesh.schema.Subjects.AsNode as =
        dev.jetmesh.schema.Subjects.parseAsNode(msg.getSubject());
    String subject = as == null ? msg.getSubject() : as.subject();
    String op =
        subject.startsWith("mesh.tasks.")
            ? subject.substring("mesh.tasks.".length())
            : subject.startsWith("mesh.health.") ? "health" : subject.substring("mesh.".length());
    JsonNode body;
    try {
      body = Json.mapper().readTree(msg.getData());
    } catch (IOException e) {
      body = Json.mapper().createObjectNode();
    }
    calls.add(new Call(op, body));
    if (msg.getReplyTo() == null) {
      return;
    }
    ObjectNode reply = Json.mapper().createObjectNode();
    Queue<Refusal> queued = refusals.get(op);
    Refusal refusal = queued == null ? null : queued.poll();
    if (refusal != null) {
      reply.put("ok", false);
      reply.put("error", refusal.error());
      reply.put("code", refusal.code().name());
    } else {
      reply.put("ok", true);
      reply.set("data", Json.mapper().valueToTree(op.equals("claim") ? toClaim.poll() : null));
    }
    try {
      nc.publish(msg.getReplyTo(), Json.mapper().writeValueAsBytes(reply));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Requests of one operation, in order. */
  public List<JsonNode> bodies(String op) {
    return calls.stream().filter(c -> c.op().equals(op)).map(Call::body).toList();
  }

  /** The operations, in the order the worker asked them. */
  public List<String> ops() {
    return calls.stream().map(Call::op).toList();
  }

  @Override
  public void close() {
    nc.closeDispatcher(d);
  }
}
