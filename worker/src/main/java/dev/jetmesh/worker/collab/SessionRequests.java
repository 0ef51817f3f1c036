package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.wire.CollabRequests;
import dev.jetmesh.worker.mesh.CollabCommands;
import dev.jetmesh.worker.mesh.CollabWire;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.UnavailableException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a member asks of and tells its session once it has joined: its reflection on a round, its
 * vote as coordinator, the session's status, its current assignment, and leaving. None of these
 * throws: a refusal or a missing answer is logged and read the way the rounds need (a refused
 * status means the session is gone, an unanswered one that it runs on). Thread-safe as far as
 * {@link CollabCommands} is.
 */
final class SessionRequests {
  private static final Logger log = LoggerFactory.getLogger(SessionRequests.class);

  private final CollabCommands collab;
  private final String sessionId;
  private final String nodeId;

  SessionRequests(CollabCommands collab, String sessionId, String nodeId) {
    this.collab = requireNonNull(collab, "null collab");
    this.sessionId = requireNonNull(sessionId, "null sessionId");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  String sessionId() {
    return sessionId;
  }

  /**
   * {@code mesh.collab.reflect}: this node's reflection on round {@code round}, with its metric's
   * verdict and score and what the round cost (each null when unknown). Returns false when the
   * orchestrator refused it, true when it was stored or the outcome is unknown.
   */
  boolean reflect(
      int round,
      Reflection r,
      List<String> artifacts,
      @Nullable Boolean metricPassed,
      @Nullable BigDecimal metricScore,
      @Nullable BigDecimal costUsd) {
    try {
      collab.reflect(
          new CollabRequests.Reflect(
              sessionId,
              nodeId,
              round,
              r.summary(),
              r.learnings(),
              artifacts,
              BigDecimal.valueOf(r.wireConfidence()),
              r.vote(),
              r.parseFailed(),
              metricPassed,
              metricScore,
              costUsd));
      log.info(
          "session {}: round {} reflected (vote {}, parse_failed {})",
          sessionId,
          round,
          r.vote(),
          r.parseFailed());
    } catch (RejectedException e) {
      log.warn("session {}: reflection refused: {}", sessionId, e.getMessage());
      return false;
    } catch (UnavailableException e) {
      log.warn("session {}: reflection got no answer: {}", sessionId, e.getMessage());
    }
    return true;
  }

  /**
   * {@code mesh.collab.vote}: this node's deciding vote on round {@code round} as the session's
   * coordinator. A refusal (the round moved on, the seat passed to another node, already voted) or
   * a missing answer is logged; the periodic check casts it again if the round still lacks it.
   */
  void vote(int round, CoordinatorVerdict v) {
    try {
      collab.vote(new CollabRequests.Vote(sessionId, nodeId, round, v.vote(), v.reason()));
      log.info("session {}: round {} voted {} as coordinator", sessionId, round, v.vote());
    } catch (RejectedException e) {
      log.warn("session {}: coordinator vote refused: {}", sessionId, e.getMessage());
    } catch (UnavailableException e) {
      log.warn("session {}: coordinator vote got no answer: {}", sessionId, e.getMessage());
    }
  }

  /** The session's status; empty when the session is gone. Unknown outcomes read as "running". */
  Optional<CollabWire.Status> status() {
    try {
      return Optional.of(collab.status(sessionId));
    } catch (RejectedException e) {
      log.warn("session {}: status refused ({}); treating it as ended", sessionId, e.getMessage());
      return Optional.empty();
    } catch (UnavailableException e) {
      log.warn("session {}: status got no answer: {}", sessionId, e.getMessage());
      return Optional.of(
          new CollabWire.Status(sessionId, null, null, "unknown", null, null, null, null, null));
    }
  }

  /** The round this node is due to work on, if any ({@code mesh.collab.assignment}). */
  Optional<CollabWire.Round> assignment() {
    try {
      return collab.assignment(sessionId, nodeId);
    } catch (RuntimeException e) {
      log.debug("session {}: no assignment: {}", sessionId, e.getMessage());
      return Optional.empty();
    }
  }

  void leave(String reason) {
    try {
      collab.leave(new CollabRequests.Leave(sessionId, nodeId, reason));
    } catch (RuntimeException e) {
      log.warn("leave of session {} failed: {}", sessionId, e.getMessage());
    }
  }
}
