package dev.jetmesh.worker.mesh;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import io.nats.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link TaskCommands} over NATS request/reply, with the reference agent's timeouts: 60 s for a
 * claim, 5 s for a get, 10 s for everything else. Replies are read tolerantly (fields the
 * orchestrator adds later do not break an older worker). Thread-safe: the connection is.
 */
final class NatsTaskCommands implements TaskCommands {
  static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);
  static final Duration GET_TIMEOUT = Duration.ofSeconds(5);
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectReader TASK =
      Json.mapper()
          .readerFor(Task.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Connection nc;
  private final String nodeId;

  /** Requests go out on {@code nodeId}'s own subjects ({@link Subjects#asNode}). */
  NatsTaskCommands(Connection nc, String nodeId) {
    this.nc = requireNonNull(nc, "null connection");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  @Override
  public Optional<Task> claim(String nodeId) {
    return task(request("claim", new TaskRequests.Claim(nodeId), CLAIM_TIMEOUT));
  }

  @Override
  public void start(TaskRequests.Ref ref) {
    request("start", ref, COMMAND_TIMEOUT);
  }

  @Override
  public void attempt(TaskRequests.RecordAttempt attempt) {
    request("attempt", attempt, COMMAND_TIMEOUT);
  }

  @Override
  public void heartbeat(Heartbeat heartbeat) {
    request("heartbeat", heartbeat, COMMAND_TIMEOUT);
  }

  @Override
  public void complete(TaskRequests.Complete complete) {
    request("complete", complete, COMMAND_TIMEOUT);
  }

  @Override
  public void fail(TaskRequests.Fail fail) {
    request("fail", fail, COMMAND_TIMEOUT);
  }

  @Override
  public void release(TaskRequests.Fail release) {
    request("release", release, COMMAND_TIMEOUT);
  }

  @Override
  public Optional<Task> get(String taskId) {
    return task(request("get", Map.of("task_id", taskId), GET_TIMEOUT));
  }

  @Override
  public List<Task> list(TaskRequests.ListTasks filter) {
    JsonNode data = request("list", filter, COMMAND_TIMEOUT);
    List<Task> out = new ArrayList<>();
    if (data != null && data.isArray()) {
      for (JsonNode n : data) {
        out.add(toTask(n));
      }
    }
    return out;
  }

  private static Optional<Task> task(JsonNode data) {
    return data == null || data.isNull() ? Optional.empty() : Optional.of(toTask(data));
  }

  private static Task toTask(JsonNode n) {
    try {
      return TASK.readValue(n);
    } catch (IOException e) {
      throw new UnavailableException("unreadable task in reply: " + e.getMessage(), e);
    }
  }

  private JsonNode request(String op, Object body, Duration timeout) {
    return Requests.send(nc, Subjects.asNode(nodeId, Subjects.tasks(op)), body, timeout);
  }
}
