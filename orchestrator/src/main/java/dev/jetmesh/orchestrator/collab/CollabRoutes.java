package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.wire.RequestDecoder.blank;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.decode;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.requiredId;

import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.wire.Money;
import dev.jetmesh.orchestrator.wire.RequestDecoder;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.CollabNode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.MetricScore;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.Vote;
import dev.jetmesh.schema.wire.CollabRequests;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mesh.collab.*} subjects: decode and validate each request, run it as a command or a
 * query, and shape the reply as the reference does. Thread-safe.
 */
public final class CollabRoutes {
  /** Longest summary or learnings text, in characters. */
  public static final int MAX_TEXT = 32 * 1024;

  public static final int MAX_ARTIFACTS = 1000;

  private final CollabCommandHandler handler;
  private final CollabQueries queries;
  private final TaskPort tasks;
  private final CollabReactor reactor;
  private final Clock clock;

  public CollabRoutes(
      CollabCommandHandler handler,
      CollabQueries queries,
      TaskPort tasks,
      CollabReactor reactor,
      Clock clock) {
    this.handler = handler;
    this.queries = queries;
    this.tasks = tasks;
    this.reactor = reactor;
    this.clock = clock;
  }

  public void register(RequestRouter router) {
    router
        .route(Subjects.collab("create"), this::create)
        .route(Subjects.collab("join"), this::join)
        .route(Subjects.collab("leave"), this::leave)
        .route(Subjects.collab("status"), this::status)
        .route(Subjects.collab("find"), this::find)
        .route(Subjects.collab("recruiting"), this::recruiting)
        .route(Subjects.collab("reflect"), this::reflect)
        .route(Subjects.collab("vote"), this::vote)
        .route(Subjects.collab("assignment"), this::assignment);
  }

  @Nullable Object create(byte[] body) {
    CollabRequests.ByTask r = decode(body, CollabRequests.ByTask.class);
    String taskId = requiredId("task_id", r.taskId());
    Task t = tasks.current(taskId);
    if (t == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Task " + taskId + " not found");
    }
    if (t.collaboration() == null) {
      throw new CommandRejectedException(
          ErrorCode.CONFLICT, "Task " + taskId + " has no collaboration spec");
    }
    return reactor.create(t, Ids.randomUuid().toString(), true).state();
  }

  Object join(byte[] body) {
    CollabRequests.Join r = decode(body, CollabRequests.Join.class);
    if (blank(r.sessionId()) || blank(r.nodeId())) {
      throw new InvalidRequestException("session_id and node_id required");
    }
    ids(r.sessionId(), r.nodeId());
    if (r.role() != null && (r.role().isBlank() || r.role().length() > 64)) {
      throw new InvalidRequestException("role must be 1-64 characters");
    }
    CollabCommand.JoinSession join =
        new CollabCommand.JoinSession(r.sessionId(), r.nodeId(), r.role());
    try {
      return run(join, r.nodeId());
    } catch (CommandRejectedException e) {
      // No session: if a live task announces it, nobody has created it yet; create it and retry.
      if (e.code() != ErrorCode.NOT_FOUND || !reactor.createAnnounced(r.sessionId())) {
        throw e;
      }
      return run(join, r.nodeId());
    }
  }

  Object leave(byte[] body) {
    CollabRequests.Leave r = decode(body, CollabRequests.Leave.class);
    if (blank(r.sessionId()) || blank(r.nodeId())) {
      throw new InvalidRequestException("session_id and node_id required");
    }
    ids(r.sessionId(), r.nodeId());
    return run(new CollabCommand.LeaveSession(r.sessionId(), r.nodeId(), r.reason()), r.nodeId());
  }

  Object status(byte[] body) {
    CollabRequests.Status r = decode(body, CollabRequests.Status.class);
    if (blank(r.sessionId())) {
      throw new InvalidRequestException("session_id required");
    }
    Ids.require("session_id", r.sessionId());
    CollabSession s = handler.current(r.sessionId());
    if (s == null) {
      throw new CommandRejectedException(
          ErrorCode.NOT_FOUND, "Session " + r.sessionId() + " not found");
    }
    return status(s, clock.instant());
  }

  /** The reference's status shape; {@code nodes[].id} as the reference, plus {@code node_id}. */
  static Map<String, Object> status(CollabSession s, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session_id", s.sessionId());
    m.put("task_id", s.taskId());
    m.put("mode", s.mode());
    m.put("status", s.status());
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (CollabNode n : s.nodes()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", n.nodeId());
      x.put("node_id", n.nodeId());
      x.put("role", n.role());
      x.put("status", n.status());
      nodes.add(x);
    }
    m.put("nodes", nodes);
    m.put("current_round", s.currentRound());
    m.put("max_rounds", s.maxRounds());
    int total = 0;
    Set<String> artifacts = new LinkedHashSet<>();
    for (CollabRound r : s.rounds()) {
      total += r.reflections().size();
      r.reflections().forEach(x -> artifacts.addAll(x.artifacts()));
    }
    m.put("total_reflections", total);
    m.put("artifacts", artifacts);
    Instant end = s.completedAt() != null ? s.completedAt() : now;
    m.put("duration_ms", Duration.between(s.createdAt(), end).toMillis());
    return m;
  }

  @Nullable Object find(byte[] body) {
    CollabRequests.ByTask r = decode(body, CollabRequests.ByTask.class);
    String taskId = requiredId("task_id", r.taskId());
    Task t = tasks.current(taskId);
    if (t != null && t.collabSessionId() != null) {
      CollabSession s = handler.current(t.collabSessionId());
      if (s != null) {
        return s;
      }
    }
    for (String sid : queries.sessionsOfTask(taskId)) {
      CollabSession s = handler.current(sid);
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  Object recruiting(byte[] body) {
    RequestDecoder.tree(body); // any JSON object; there are no fields
    List<Map<String, Object>> out = new ArrayList<>();
    for (CollabSession s : queries.recruiting()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("session_id", s.sessionId());
      m.put("task_id", s.taskId());
      m.put("mode", s.mode());
      m.put("min_nodes", s.minNodes());
      m.put("max_nodes", s.maxNodes());
      m.put("current_nodes", s.nodes().size());
      m.put("node_ids", s.nodes().stream().map(CollabNode::nodeId).toList());
      m.put("recruiting_deadline", s.recruitingDeadline());
      out.add(m);
    }
    return out;
  }

  Object reflect(byte[] body) {
    CollabRequests.Reflect r = decode(body, CollabRequests.Reflect.class);
    if (blank(r.sessionId()) || blank(r.nodeId())) {
      throw new InvalidRequestException("session_id and node_id required");
    }
    ids(r.sessionId(), r.nodeId());
    String summary = text("summary", r.summary());
    String learnings = text("learnings", r.learnings());
    List<String> artifacts = artifacts(r.artifacts());
    double confidence = 0.5;
    if (r.confidence() != null) {
      BigDecimal c = r.confidence();
      if (c.compareTo(BigDecimal.ZERO) < 0 || c.compareTo(BigDecimal.ONE) > 0) {
        throw new InvalidRequestException("confidence must be a number between 0 and 1: " + c);
      }
      confidence = c.doubleValue();
    }
    boolean parseFailed = Boolean.TRUE.equals(r.parseFailed());
    ReflectionVote vote = ReflectionVote.ofRequest(r.vote(), parseFailed);
    if (r.round() != null && r.round() < 1) {
      throw new InvalidRequestException("round must be 1 or more");
    }
    CollabReflection refl =
        new CollabReflection(
            r.nodeId(),
            summary,
            learnings,
            artifacts,
            confidence,
            vote,
            parseFailed,
            parseFailed ? null : r.metricPassed(),
            parseFailed ? null : MetricScore.require("metric_score", r.metricScore()),
            // a round costs what it cost, parsed or not
            Money.cost("cost_usd", r.costUsd()),
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    return run(new CollabCommand.SubmitReflection(r.sessionId(), r.round(), refl), r.nodeId());
  }

  Object vote(byte[] body) {
    CollabRequests.Vote r = decode(body, CollabRequests.Vote.class);
    if (blank(r.sessionId()) || blank(r.nodeId())) {
      throw new InvalidRequestException("session_id and node_id required");
    }
    ids(r.sessionId(), r.nodeId());
    Vote vote = Vote.coordinatorVote(r.vote());
    text("reason", r.reason());
    return run(
        new CollabCommand.CastCoordinatorVote(
            r.sessionId(), r.nodeId(), r.round(), vote, r.reason()),
        r.nodeId());
  }

  @Nullable Object assignment(byte[] body) {
    CollabRequests.Assignment r = decode(body, CollabRequests.Assignment.class);
    if (blank(r.sessionId()) || blank(r.nodeId())) {
      throw new InvalidRequestException("session_id and node_id required");
    }
    ids(r.sessionId(), r.nodeId());
    CollabSession s = handler.current(r.sessionId());
    if (s == null) {
      throw new CommandRejectedException(
          ErrorCode.NOT_FOUND, "Session " + r.sessionId() + " not found");
    }
    if (s.node(r.nodeId()) == null) {
      throw new CommandRejectedException(
          ErrorCode.NOT_OWNER,
          "Node " + r.nodeId() + " is not a member of session " + r.sessionId());
    }
    CollabRound round = s.round();
    if (!"active".equals(s.status()) || round == null || round.outcome() != null) {
      return null;
    }
    return CollabNotifier.assignment(s, r.nodeId());
  }

  private CollabSession run(CollabCommand c, String actor) {
    // Every command routed here is refused when the session does not exist.
    return Objects.requireNonNull(
        handler.handle(c, actor, Ids.randomUuid().toString(), null).state());
  }

  private static String text(String field, String v) {
    if (v == null) {
      return "";
    }
    if (v.length() > MAX_TEXT) {
      throw new InvalidRequestException(
          field + " is too long: " + v.length() + " characters (max " + MAX_TEXT + ")");
    }
    return v;
  }

  private static List<String> artifacts(List<String> in) {
    if (in == null) {
      return List.of();
    }
    if (in.size() > MAX_ARTIFACTS) {
      throw new InvalidRequestException(
          "Too many artifacts: " + in.size() + " (max " + MAX_ARTIFACTS + ")");
    }
    for (String a : in) {
      if (a == null || a.isEmpty() || a.length() > 1024) {
        throw new InvalidRequestException("Field 'artifacts' must hold paths of 1-1024 characters");
      }
    }
    return List.copyOf(new LinkedHashSet<>(in));
  }

  private static void ids(String sessionId, String nodeId) {
    Ids.require("session_id", sessionId);
    Ids.require("node_id", nodeId);
  }
}
