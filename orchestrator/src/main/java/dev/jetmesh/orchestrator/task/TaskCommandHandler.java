package dev.jetmesh.orchestrator.task;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jetmesh.orchestrator.store.ConcurrencyConflictException;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Task;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs task commands: load the aggregate (from a cache keyed by the last sequence, else from its
 * subject), decide, append with the expected sequence, and on a conflict reload and decide again.
 * The cache is an optimisation only: an entry that another orchestrator made stale causes one
 * conflict and a reload, never a wrong decision. Thread-safe.
 */
public final class TaskCommandHandler {
  private static final int MAX_TRIES = 8;

  private final EventStore store;
  private final Clock clock;
  private final TaskNotifier notifier;
  private final Cache<String, Task> cache = Caffeine.newBuilder().maximumSize(200_000).build();

  /** A command's effect: the state after it and the events it appended (possibly none). */
  public record Outcome(Task task, List<StoredEvent> appended) {}

  public TaskCommandHandler(EventStore store, Clock clock, TaskNotifier notifier) {
    this.store = store;
    this.clock = clock;
    this.notifier = notifier;
  }

  /**
   * Decides and appends {@code command}.
   *
   * @param actor who asked (a node id, a user, or {@code orchestrator}); recorded in the envelope
   * @param causationId the request's id, recorded as the events' causation
   * @param eventIdSeed when not null, event ids are derived from it, so that a decision taken twice
   *     (two timers, a crash and a re-run) is deduplicated by the stream
   * @throws CommandRejectedException when the decider refuses
   */
  public Outcome handle(TaskCommand command, String actor, String causationId, String eventIdSeed) {
    String id = command.taskId();
    String subject = Subjects.taskEvents(id);
    boolean verified = false;
    for (int attempt = 1; ; attempt++) {
      Task state = load(id);
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Decision d = TaskDecider.decide(state, command, now);
      switch (d) {
        case Decision.Reject r -> {
          // A refusal appends nothing, so no conflict would reveal a stale cache entry: confirm
          // against the subject's last sequence before refusing (another orchestrator may have
          // moved the task on).
          if (!verified && !isCurrent(subject, state)) {
            verified = true;
            cache.invalidate(id);
            continue;
          }
          throw new CommandRejectedException(r.error());
        }
        case Decision.Accept a -> {
          if (a.events().isEmpty()) {
            return new Outcome(state, List.of());
          }
          try {
            return append(subject, id, state, a.events(), actor, causationId, eventIdSeed, now);
          } catch (ConcurrencyConflictException e) {
            cache.invalidate(id);
            if (attempt >= MAX_TRIES) {
              throw new MeshException("Task " + id + " is too busy: try again", e);
            }
          }
        }
      }
    }
  }

  private Outcome append(
      String subject,
      String id,
      Task state,
      List<TaskEvent> events,
      String actor,
      String causationId,
      String seed,
      Instant now) {
    long expected = state == null ? 0 : state.version();
    List<StoredEvent> stored = new ArrayList<>(events.size());
    Task next = state;
    int i = 0;
    for (TaskEvent ev : events) {
      Envelope env = Envelope.wrap(ev, id, actor, causationId, now);
      if (seed != null) {
        env = env.withEventId(UUID.nameUUIDFromBytes((seed + "#" + i).getBytes()));
      }
      long seq = store.append(subject, env, expected);
      StoredEvent se = new StoredEvent(seq, subject, env);
      next = TaskEvolver.evolve(next, se);
      stored.add(se);
      expected = seq;
      i++;
    }
    cache.put(id, next);
    for (StoredEvent se : stored) {
      notifier.taskEvent(se, next);
    }
    return new Outcome(next, stored);
  }

  /** The current state, or null when the task does not exist. */
  public Task load(String taskId) {
    Task cached = cache.getIfPresent(taskId);
    if (cached != null) {
      return cached;
    }
    Task t = TaskEvolver.replay(store.read(Subjects.taskEvents(taskId)));
    if (t != null) {
      cache.put(taskId, t);
    }
    return t;
  }

  /**
   * The current state, confirmed against the stream: a cached entry is used only if no event has
   * been appended to the task's subject since (one cheap last-message lookup). For reads that must
   * see writes made through another orchestrator.
   */
  public Task current(String taskId) {
    Task t = load(taskId);
    if (!isCurrent(Subjects.taskEvents(taskId), t)) {
      cache.invalidate(taskId);
      t = load(taskId);
    }
    return t;
  }

  private boolean isCurrent(String subject, Task state) {
    return store.lastSequenceOf(subject) == (state == null ? 0 : state.version());
  }

  /** The current state read from the stream, bypassing the cache. */
  public Optional<Task> reload(String taskId) {
    cache.invalidate(taskId);
    return Optional.ofNullable(load(taskId));
  }
}
