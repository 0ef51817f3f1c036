package dev.jetmesh.orchestrator.task;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.orchestrator.aggregate.AggregateRepository;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.wire.RawJson;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent;
import dev.jetmesh.schema.model.Task;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs task commands through the task {@link AggregateRepository} with {@link TaskDecider}, and
 * publishes the reference's notifications for what was appended. Thread-safe.
 */
public final class TaskCommandHandler {
  /** How tasks are named, folded and versioned. */
  static final AggregateRepository.Model<Task> MODEL =
      AggregateRepository.Model.of(
          "Task", Subjects::taskEvents, TaskEvolver::evolve, Task::version);

  private final AggregateRepository<Task, TaskEvent> repository;
  private final TaskNotifier notifier;

  /** A command's effect: the state after it and the events it appended (possibly none). */
  public record Outcome(Task task, List<StoredEvent> appended) {
    /** The task as a reply's data, sharing the document its notification was written with. */
    public RawJson reply() {
      return TaskDocs.raw(task);
    }
  }

  public TaskCommandHandler(EventStore store, Clock clock, TaskNotifier notifier) {
    this.repository = new AggregateRepository<>(store, clock, MODEL, 200_000);
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
  public Outcome handle(
      TaskCommand command, String actor, String causationId, @Nullable String eventIdSeed) {
    AggregateRepository.Outcome<Task> o =
        repository.execute(
            command.taskId(),
            (state, now) -> TaskDecider.decide(state, command, now),
            actor,
            causationId,
            eventIdSeed);
    // Only a submission is accepted without a task, and it appends one.
    Task task = requireNonNull(o.state(), "no task after an accepted command");
    for (StoredEvent se : o.appended()) {
      notifier.taskEvent(se, task);
    }
    return new Outcome(task, o.appended());
  }

  /** The repository, for reactors that append decisions taken from the read model. */
  public AggregateRepository<Task, TaskEvent> repository() {
    return repository;
  }

  /** The state, possibly from a cache that another orchestrator made stale; null if absent. */
  public @Nullable Task load(String taskId) {
    return repository.load(taskId);
  }

  /** The state, confirmed against the stream; null if absent. */
  public @Nullable Task current(String taskId) {
    return repository.current(taskId);
  }
}
