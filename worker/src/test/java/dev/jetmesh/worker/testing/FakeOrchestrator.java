package dev.jetmesh.worker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers {@code mesh.tasks.*} over real NATS like the orchestrator's wire contract: hands out the
 * queued tasks once each on claim, accepts every other command, and records every request as {@code
 * (op, body)}. Not a model of the orchestrator's rules: the real one is tested with it later.
 */
public final class FakeOrchestrator implements AutoCloseable {
  /** One request the worker made. */
  public record Call(String op, JsonNode body) {}

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public final Queue<Task> toClaim = new ConcurrentLinkedQueue<>();
  private final Connection nc;
  private final Dispatcher d;

  public FakeOrchestrator(Connection nc) {
    this.nc = nc;
    this.d =
        nc.createDispatcher(
            msg -> {
              String op = msg.getSubject().substring("mesh.tasks.".length());
              JsonNode body;
              try {
                body = Json.mapper().readTree(msg.getData());
              } catch (IOException e) {
                body = Json.mapper().createObjectNode();
              }
              calls.add(new Call(op, body));
              Object data = op.equals("claim") ? toClaim.poll() : null;
              ObjectNode reply = Json.mapper().createObjectNode();
              reply.put("ok", true);
              reply.set("data", Json.mapper().valueToTree(data));
              try {
                nc.publish(msg.getReplyTo(), Json.mapper().writeValueAsBytes(reply));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    d.subscribe("mesh.tasks.*");
  }

  /** Requests of one operation, in order. */
  public List<JsonNode> bodies(String op) {
    return calls.stream().filter(c -> c.op().equals(op)).map(Call::body).toList();
  }

  @Override
  public void close() {
    nc.closeDispatcher(d);
  }
}
