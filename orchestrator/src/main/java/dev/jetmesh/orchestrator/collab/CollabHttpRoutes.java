package dev.jetmesh.orchestrator.collab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.api.EventPages;
import dev.jetmesh.orchestrator.api.QueryParams;
import dev.jetmesh.orchestrator.projection.EventLog;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabStatus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The collab slice's read routes: {@code GET /api/collab} (paged summaries), {@code
 * /api/collab/{session_id}} (the session with each round's reflections, votes and outcome, and the
 * decision), {@code .../timeline} (its events) and {@code .../replay} (every decision recomputed,
 * {@link CollabReplay}). Thread-safe.
 */
final class CollabHttpRoutes {
  private final CollabCommandHandler handler;
  private final CollabHttpQueries reads;
  private final EventLog log;
  private final EventStore store;

  CollabHttpRoutes(
      CollabCommandHandler handler, CollabHttpQueries reads, EventLog log, EventStore store) {
    this.handler = handler;
    this.reads = reads;
    this.log = log;
    this.store = store;
  }

  void register(JavalinConfig cfg) {
    cfg.routes.get("/api/collab", this::list);
    cfg.routes.get("/api/collab/{session_id}", this::one);
    cfg.routes.get("/api/collab/{session_id}/timeline", this::timeline);
    cfg.routes.get("/api/collab/{session_id}/replay", this::replay);
  }

  private void list(Context c) {
    QueryParams q = QueryParams.of(c, "status", "limit", "cursor");
    c.json(
        reads.sessions(
            q.parsed("status", CollabStatus::fromWire),
            q.cursor(CollabHttpQueries.KIND, 2),
            q.limit()));
  }

  /** The session from its own events (read-your-writes), with votes and outcomes per round. */
  private void one(Context c) {
    QueryParams.of(c);
    String sid = QueryParams.pathId(c, "session_id");
    CollabSession s = existing(sid);
    ObjectNode body = Json.mapper().valueToTree(s);
    ArrayNode rounds = (ArrayNode) body.get("rounds");
    for (int i = 0; i < s.rounds().size(); i++) {
      CollabRound r = s.rounds().get(i);
      ObjectNode round = (ObjectNode) rounds.get(i);
      round.set("votes", votes(r));
      round.put("decision", r.outcome());
    }
    body.set("decision", decision(s));
    ObjectNode links = body.putObject("links");
    links.put("self", "/api/collab/" + sid);
    links.put("timeline", "/api/collab/" + sid + "/timeline");
    links.put("replay", "/api/collab/" + sid + "/replay");
    links.put("live", "/api/events?aggregate=collab&id=" + sid);
    links.put("task", "/api/tasks/" + s.taskId());
    c.json(body);
  }

  private void timeline(Context c) {
    QueryParams q = QueryParams.of(c, "limit", "cursor");
    String sid = QueryParams.pathId(c, "session_id");
    existing(sid);
    c.json(EventPages.page(log, "collab", sid, q));
  }

  private void replay(Context c) {
    QueryParams q = QueryParams.of(c, "format");
    String format = q.text("format");
    if (format != null && !format.equals("json") && !format.equals("text")) {
      throw new InvalidRequestException("Invalid format '" + format + "': must be json or text");
    }
    String sid = QueryParams.pathId(c, "session_id");
    List<StoredEvent> events = store.read(Subjects.collabEvents(sid));
    if (events.isEmpty()) {
      throw notFound(sid);
    }
    CollabReplay.Report r = CollabReplay.replay(sid, events);
    if ("text".equals(format)) {
      c.contentType("text/plain").result(r.text());
    } else {
      c.json(r);
    }
  }

  /** Every vote the round's evaluation looked at: each reflection's, then the coordinator's. */
  private static ArrayNode votes(CollabRound r) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (CollabReflection f : r.reflections()) {
      out.addObject()
          .put("voter", f.nodeId())
          .put("kind", "member")
          .put("vote", f.vote().wire())
          .put("valid", f.valid());
    }
    if (r.coordinatorVote() != null) {
      out.addObject()
          .put("voter", r.coordinatorVoter())
          .put("kind", "coordinator")
          .put("vote", r.coordinatorVote().wire())
          .put("valid", true);
    }
    return out;
  }

  /** How the session ended (or converged): null while it is still working. */
  private static @Nullable ObjectNode decision(CollabSession s) {
    if (!s.terminal() && !CollabStatus.CONVERGED.wire().equals(s.status())) {
      return null;
    }
    ObjectNode d = Json.mapper().createObjectNode();
    CollabRound last = s.round();
    d.put("status", s.status());
    String aborted = CollabStatus.ABORTED.wire();
    d.put("outcome", aborted.equals(s.status()) ? aborted : last == null ? null : last.outcome());
    d.put("round", s.currentRound());
    d.set("result", s.result());
    d.put("abort_reason", s.abortReason());
    d.put("abort_kind", s.abortKind());
    d.put("completed_at", s.completedAt() == null ? null : s.completedAt().toString());
    return d;
  }

  private CollabSession existing(String sid) {
    CollabSession s = handler.current(sid);
    if (s == null) {
      throw notFound(sid);
    }
    return s;
  }

  private static CommandRejectedException notFound(String sessionId) {
    return new CommandRejectedException(ErrorCode.NOT_FOUND, "Session " + sessionId + " not found");
  }
}
