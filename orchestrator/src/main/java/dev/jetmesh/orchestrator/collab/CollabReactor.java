package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.aggregate.AggregateRepository;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.config.CollabSettings;
import dev.jetmesh.orchestrator.module.MeshModule;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.store.ConcurrencyConflictException;
import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.NodeEvent;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.model.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the collab decisions from the read model: after each projected batch for the sessions it
 * touched, and periodically for every open session (deadlines, alive checks, re-notification, and
 * anything a crash between a commit and its reaction left undone). Each decision is one {@link
 * CollabRules#step} of a session as projected, appended at the projected sequence with event ids
 * derived from {@code collab:<sid>@<seq>}, so a crash, a re-run or a second orchestrator never
 * decides twice. Parent-task effects go through the task command handler with ids derived from the
 * session. Runs on the projector's thread (afterCommit), the sweeper thread (sweep), and, for
 * {@link #create} and {@link #createAnnounced}, on request threads (a client's submission, {@code
 * mesh.collab.create}, a join) and on the threads a plan submits its subtasks on.
 */
public final class CollabReactor {
  private static final Logger LOG = LoggerFactory.getLogger(CollabReactor.class);

  private final CollabCommandHandler handler;
  private final CollabQueries queries;
  private final TaskPort tasks;
  private final Clock clock;
  private final CollabSettings settings;
  private final SilentMembers silent;

  public CollabReactor(
      CollabCommandHandler handler,
      CollabQueries queries,
      TaskPort tasks,
      MeshBus bus,
      Clock clock,
      Duration aliveAfter,
      Duration aliveTimeout,
      CollabSettings settings) {
    this.handler = handler;
    this.queries = queries;
    this.tasks = tasks;
    this.clock = clock;
    this.settings = settings;
    this.silent =
        new SilentMembers(
            bus, handler.notifier(), aliveAfter, aliveTimeout, settings.renotifyInterval());
  }

  /** Creates the session of a task with a collaboration spec (idempotent: a deterministic id). */
  public AggregateRepository.Outcome<CollabSession> create(
      Task t, String causation, boolean rejectIfExists) {
    // The task's score target joins the convergence rule, and its money budget the session, so
    // that the rules decide from the session's own events.
    CollabSpec spec =
        CollabSpec.parse(t.collaboration())
            .withScoreTarget(t.metricThreshold(), t.metricDirection());
    String sid = CollabSpec.sessionIdFor(t.taskId(), t.createdAt());
    try {
      return handler.handle(
          new CollabCommand.CreateSession(
              sid, t.taskId(), t.title(), t.scope(), spec, t.budgetUsd()),
          "orchestrator",
          causation,
          "collab:" + sid + ":created");
    } catch (CommandRejectedException e) {
      if (rejectIfExists) {
        throw e;
      }
      return new AggregateRepository.Outcome<>(handler.current(sid), List.of());
    }
  }

  /**
   * Creates session {@code sid}, which a join found missing, if a live task announces it (its
   * {@code collab_session_id}): the submit path's creation can be cut short by a crash, and the
   * reactor's and the sweep's come later and only while the task is queued, while a node may claim
   * the task and join at once. Same event id as theirs, so it is appended once whoever comes first.
   * The task is found from the session id (its usual form names it, projected or not) or from the
   * read model (a shortened id). Called on request threads.
   *
   * @return whether the session exists now
   * @throws dev.jetmesh.schema.MeshException when the stream or the database cannot answer
   */
  public boolean createAnnounced(String sid) {
    Task t = announcing(sid);
    if (t == null || t.collaboration() == null || t.status().isTerminal()) {
      return false;
    }
    return create(t, "collab-join", false).state() != null;
  }

  private @Nullable Task announcing(String sid) {
    String named = CollabSpec.taskIdOf(sid);
    Task t = named == null ? null : tasks.current(named);
    if (t == null || !sid.equals(t.collabSessionId())) {
      String projected = queries.taskAnnouncing(sid);
      t = projected == null ? null : tasks.current(projected);
    }
    return t != null && sid.equals(t.collabSessionId()) ? t : null;
  }

  /** Reacts to a committed batch (projector thread). */
  public void afterCommit(List<StoredEvent> batch) {
    Set<String> sessions = new LinkedHashSet<>();
    Set<String> parentsEnded = new LinkedHashSet<>();
    for (StoredEvent e : batch) {
      switch (e.event()) {
        case CollabEvent c -> sessions.add(e.envelope().aggregateId());
        case TaskEvent.TaskSubmitted s when s.task().collaboration() != null ->
            createQuietly(e.envelope().aggregateId(), e.envelope().eventId().toString());
        case TaskEvent.TaskFailed f -> parentsEnded.add(e.envelope().aggregateId());
        case TaskEvent.TaskReleased r -> parentsEnded.add(e.envelope().aggregateId());
        case TaskEvent.TaskCancelled c -> parentsEnded.add(e.envelope().aggregateId());
        case TaskEvent.TaskBudgetExceeded b -> parentsEnded.add(e.envelope().aggregateId());
        case TaskEvent.TaskStalled s -> parentsEnded.add(e.envelope().aggregateId());
        case NodeEvent.NodeRemoved r -> leaveEverySession(e.envelope().aggregateId());
        default -> {}
      }
    }
    for (String taskId : parentsEnded) {
      Task t = tasks.load(taskId);
      if (t != null && t.collabSessionId() != null) {
        abortForParent(t);
      }
    }
    for (String sid : sessions) {
      CollabQueries.Projected p = queries.get(sid);
      if (p != null) {
        decide(p, Set.of());
      }
    }
  }

  /** The periodic pass (sweeper thread). */
  public void sweep() {
    if (!MeshModule.sweepEach(
        queries.tasksWithoutSession(100), taskId -> createQuietly(taskId, "collab-sweep"))) {
      return;
    }
    Instant now = clock.instant();
    List<CollabQueries.Projected> open = queries.open();
    // First, so that a session whose step fails at every sweep cannot keep the others remembered.
    silent.forgetAllBut(
        open.stream().map(p -> p.session().sessionId()).collect(Collectors.toSet()));
    if (!MeshModule.sweepEach(
        open,
        p -> {
          decide(p, silent.aliveChecks(p.session(), now));
          silent.renotify(p.session(), now);
        })) {
      return;
    }
    MeshModule.sweepEach(
        queries.outOfStepWithParent(now.minus(Duration.ofHours(6))), this::bringParentInStep);
  }

  private void bringParentInStep(CollabQueries.Projected p) {
    if (p.session().terminal()) {
      applyParent(p.session());
    } else {
      Task t = tasks.current(p.session().taskId());
      if (t != null) {
        abortForParent(t);
      }
    }
  }

  /** One step of a projected session; then the parent's effect if it ended. */
  void decide(CollabQueries.Projected p, Set<String> unresponsive) {
    CollabSession s = p.session();
    if (s.terminal()) {
      applyParent(s);
      return;
    }
    List<CollabEvent> events =
        CollabRules.step(s, clock.instant(), unresponsive, settings.roundTimeout());
    if (events.isEmpty()) {
      return;
    }
    String seed = "collab:" + s.sessionId() + "@" + p.lastSeq();
    try {
      AggregateRepository.Outcome<CollabSession> o =
          handler.appendAt(s.sessionId(), p.lastSeq(), events, "collab-reactor", seed);
      CollabSession after = Objects.requireNonNull(o.state());
      if (after.terminal()) {
        applyParent(after);
      }
    } catch (ConcurrencyConflictException e) {
      LOG.debug("session {} moved on past {}: deciding again later", s.sessionId(), p.lastSeq());
    }
  }

  /** A removed node gives up its seats: it leaves every open session it sits in. */
  private void leaveEverySession(String nodeId) {
    for (CollabQueries.Projected p : queries.open()) {
      String sid = p.session().sessionId();
      if (p.session().node(nodeId) == null) {
        continue;
      }
      try {
        handler.handle(
            new CollabCommand.LeaveSession(sid, nodeId, "node removed"),
            "orchestrator",
            "node-removed",
            "collab:" + sid + ":removed:" + nodeId);
      } catch (RuntimeException e) {
        LOG.debug("node {} did not leave session {}: {}", nodeId, sid, e.getMessage());
      }
    }
  }

  private void createQuietly(String taskId, String causation) {
    try {
      Task t = tasks.current(taskId);
      if (t != null && t.collaboration() != null && t.status() == TaskStatus.QUEUED) {
        create(t, causation, false);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot create the session of task {}: {}", taskId, e.getMessage());
    }
  }

  private void abortForParent(Task t) {
    String verb =
        switch (t.status()) {
          case FAILED -> "failed";
          case RELEASED -> "released";
          case CANCELLED -> "cancelled";
          default -> null;
        };
    if (verb == null) {
      return;
    }
    String summary = t.result() == null ? "" : t.result().path("summary").asText("");
    String sid = Objects.requireNonNull(t.collabSessionId(), "callers pass a parent");
    try {
      handler.handle(
          new CollabCommand.AbortForParent(
              sid, "Parent task " + t.taskId() + " " + verb + ": " + summary),
          "orchestrator",
          "collab-parent",
          "collab:" + sid + ":parent-ended");
    } catch (RuntimeException e) {
      LOG.debug("abort of session {} skipped: {}", sid, e.getMessage());
    }
  }

  /** Completes, fails or releases the parent task as the ended session requires. */
  void applyParent(CollabSession s) {
    SessionResult.ParentAction a = SessionResult.parentAction(s);
    if (a.kind().equals("none")) {
      return;
    }
    Task t = tasks.current(s.taskId());
    if (t == null || t.status().isTerminal()) {
      return;
    }
    String base = "collab:" + s.sessionId() + ":parent:";
    try {
      // One append whatever the parent's state (queued, claimed or running): the session did the
      // work. Claiming a queued parent first would leave a window in which a worker could release
      // it.
      TaskPort.Outcome outcome =
          switch (a.kind()) {
            case "complete" -> TaskPort.Outcome.COMPLETE;
            case "release" -> TaskPort.Outcome.RELEASE;
            default -> TaskPort.Outcome.FAIL;
          };
      boolean complete = outcome == TaskPort.Outcome.COMPLETE;
      tasks.settle(
          t.taskId(),
          "collab:" + s.sessionId(),
          outcome,
          complete ? null : a.reason(),
          a.result(),
          SessionResult.roundAttempts(s),
          "orchestrator",
          s.sessionId(),
          base + a.kind());
    } catch (CommandRejectedException e) {
      LOG.debug("parent {} of {} not updated: {}", t.taskId(), s.sessionId(), e.getMessage());
    }
  }
}
