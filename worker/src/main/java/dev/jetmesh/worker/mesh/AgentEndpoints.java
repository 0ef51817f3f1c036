package dev.jetmesh.worker.mesh;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.wire.AliveCheck;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subjects a worker serves: {@code mesh.agent.<node>.alive} (answered unenveloped, {@code
 * {alive,task_id}}), and the orchestrator's {@code .stall} and {@code .budget_exceeded} notices.
 * Handlers run on one NATS dispatcher thread and only read or flip thread-safe state, so they never
 * block it. Closing unsubscribes. Thread-safe.
 */
public final class AgentEndpoints implements AutoCloseable {
  /** Which notice arrived. */
  public enum Notice {
    STALL("stall"),
    BUDGET_EXCEEDED("budget_exceeded");

    private final String token;

    Notice(String token) {
      this.token = token;
    }

    /** The last token of the notice subject. */
    public String token() {
      return token;
    }
  }

  /** Receives notices, on the dispatcher thread; must not block. */
  @FunctionalInterface
  public interface NoticeListener {
    void onNotice(Notice notice, String taskId, JsonNode body);
  }

  private static final Logger log = LoggerFactory.getLogger(AgentEndpoints.class);

  private final Connection nc;
  private final Dispatcher dispatcher;

  private AgentEndpoints(Connection nc, Dispatcher dispatcher) {
    this.nc = nc;
    this.dispatcher = dispatcher;
  }

  /**
   * Subscribes for {@code nodeId}.
   *
   * @param currentTask the task the node is working on, read on every alive check
   */
  static AgentEndpoints open(
      Connection nc,
      String nodeId,
      Supplier<Optional<String>> currentTask,
      NoticeListener listener) {
    requireNonNull(currentTask, "null currentTask");
    requireNonNull(listener, "null listener");
    Dispatcher d = nc.createDispatcher();
    d.subscribe(Subjects.agentAlive(nodeId), msg -> answerAlive(nc, msg, currentTask));
    for (Notice n : Notice.values()) {
      d.subscribe(
          Subjects.agentNotice(nodeId, n.token()),
          msg -> {
            JsonNode body = parse(msg);
            String taskId = body.path("task_id").asText("");
            log.warn("{} notice for task {}: {}", n.token(), taskId, body);
            listener.onNotice(n, taskId, body);
          });
    }
    return new AgentEndpoints(nc, d);
  }

  /**
   * The alive answer: alive when the node has a current task and the asked id is empty or that
   * task. A bad or empty body is treated as {@code {}}, as the reference does.
   */
  public static AliveCheck.Answer answer(String askedTaskId, Optional<String> current) {
    boolean alive =
        current.isPresent()
            && (askedTaskId == null || askedTaskId.isEmpty() || askedTaskId.equals(current.get()));
    return new AliveCheck.Answer(alive, current.orElse(null));
  }

  private static void answerAlive(
      Connection nc, Message msg, Supplier<Optional<String>> currentTask) {
    if (msg.getReplyTo() == null) {
      return;
    }
    String asked = parse(msg).path("task_id").asText("");
    try {
      nc.publish(
          msg.getReplyTo(), Json.mapper().writeValueAsBytes(answer(asked, currentTask.get())));
    } catch (JsonProcessingException e) {
      log.error("cannot encode alive answer", e);
    }
  }

  private static JsonNode parse(Message msg) {
    try {
      byte[] data = msg.getData();
      JsonNode n = data == null || data.length == 0 ? null : Json.mapper().readTree(data);
      return n != null && n.isObject() ? n : Json.mapper().createObjectNode();
    } catch (IOException e) {
      return Json.mapper().createObjectNode();
    }
  }

  @Override
  public void close() {
    nc.closeDispatcher(dispatcher);
  }
}
