package dev.jetmesh.worker.mesh;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.wire.CollabRequests;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CollabCommands} over NATS, with the reference agent's 10 s timeout. Replies and
 * notifications are read tolerantly; a notification that cannot be read is logged and dropped (the
 * periodic assignment check recovers from it). Thread-safe: the connection is.
 */
final class NatsCollabCommands implements CollabCommands {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(NatsCollabCommands.class);

  private final Connection nc;
  private final String nodeId;

  /** Requests go out on {@code nodeId}'s own subjects ({@link Subjects#asNode}). */
  NatsCollabCommands(Connection nc, String nodeId) {
    this.nc = requireNonNull(nc, "null connection");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  @Override
  public JsonNode join(CollabRequests.Join join) {
    return request("join", join);
  }

  @Override
  public void leave(CollabRequests.Leave leave) {
    request("leave", leave);
  }

  @Override
  public CollabWire.Status status(String sessionId) {
    JsonNode data = request("status", new CollabRequests.Status(sessionId));
    if (data == null || !data.isObject()) {
      throw new UnavailableException(Subjects.collab("status") + " replied no session");
    }
    return read(data, CollabWire.Status.class);
  }

  @Override
  public Optional<String> find(String taskId) {
    JsonNode data = request("find", new CollabRequests.ByTask(taskId));
    if (data == null || !data.isObject()) {
      return Optional.empty();
    }
    String sid = data.path("session_id").asText("");
    return sid.isEmpty() ? Optional.empty() : Optional.of(sid);
  }

  @Override
  public List<CollabWire.Recruit> recruiting() {
    JsonNode data = request("recruiting", Json.mapper().createObjectNode());
    List<CollabWire.Recruit> out = new ArrayList<>();
    if (data != null && data.isArray()) {
      for (JsonNode n : data) {
        out.add(read(n, CollabWire.Recruit.class));
      }
    }
    return out;
  }

  @Override
  public void reflect(CollabRequests.Reflect reflect) {
    request("reflect", reflect);
  }

  @Override
  public void vote(CollabRequests.Vote vote) {
    request("vote", vote);
  }

  @Override
  public Optional<CollabWire.Round> assignment(String sessionId, String nodeId) {
    JsonNode data = request("assignment", new CollabRequests.Assignment(sessionId, nodeId));
    return round(data);
  }

  /**
   * Reads an assignment reply: null when nothing is due; the round itself, or an object wrapping it
   * in {@code round} or {@code assignment}.
   */
  static Optional<CollabWire.Round> round(JsonNode data) {
    if (data == null || !data.isObject()) {
      return Optional.empty();
    }
    for (String wrapper : List.of("assignment", "round")) {
      if (data.path(wrapper).isObject()) {
        return round(data.get(wrapper));
      }
    }
    if (!data.path("round_number").canConvertToInt() || data.path("round_number").asInt() < 1) {
      return Optional.empty();
    }
    return Optional.of(read(data, CollabWire.Round.class));
  }

  @Override
  public AutoCloseable subscribeRounds(
      String sessionId, String nodeId, Consumer<CollabWire.Round> handler) {
    String subject = Subjects.collabRound(sessionId, nodeId);
    return subscribe(subject, msg -> parse(msg, CollabWire.Round.class).ifPresent(handler));
  }

  @Override
  public AutoCloseable subscribeRecruits(Consumer<CollabWire.Recruit> handler) {
    return subscribe(
        Subjects.COLLAB_RECRUITS, msg -> parse(msg, CollabWire.Recruit.class).ifPresent(handler));
  }

  private AutoCloseable subscribe(String subject, MessageHandler handler) {
    Dispatcher d = nc.createDispatcher();
    d.subscribe(subject, handler);
    try {
      // The subscription must be known to the server before a join that triggers a round.
      nc.flush(TIMEOUT);
    } catch (java.util.concurrent.TimeoutException e) {
      log.warn("flush after subscribing to {} timed out", subject);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return () -> nc.closeDispatcher(d);
  }

  private static <T> Optional<T> parse(Message msg, Class<T> type) {
    try {
      JsonNode n = Json.mapper().readTree(msg.getData());
      if (n == null || !n.isObject()) {
        log.warn("ignoring a non-object message on {}", msg.getSubject());
        return Optional.empty();
      }
      return Optional.of(read(n, type));
    } catch (IOException | UnavailableException e) {
      log.warn("ignoring an unreadable message on {}: {}", msg.getSubject(), e.getMessage());
      return Optional.empty();
    }
  }

  private static <T> T read(JsonNode n, Class<T> type) {
    try {
      return Json.mapper()
          .readerFor(type)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(n);
    } catch (IOException e) {
      throw new UnavailableException(
          "unreadable " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private JsonNode request(String op, Object body) {
    return Requests.send(nc, Subjects.asNode(nodeId, Subjects.collab(op)), body, TIMEOUT);
  }
}
