package dev.jetmesh.worker.testing;

import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.mesh.Heartbeat;
import dev.jetmesh.worker.mesh.RejectedException;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.mesh.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** An orchestrator stand-in that records every command. Thread-safe. */
public final class RecordingCommands implements TaskCommands {
  public final List<Object> calls = new CopyOnWriteArrayList<>();
  public volatile boolean refuseHeartbeats;
  public volatile List<Task> queued = List.of();

  /** What {@code get} answers. */
  public final Map<String, Task> known = new ConcurrentHashMap<>();

  /** The filters {@code list} was asked with (queries, so not among {@link #calls}). */
  public final List<TaskRequests.ListTasks> lists = new CopyOnWriteArrayList<>();

  /** When set, {@code list} gets no answer. */
  public volatile boolean listUnavailable;

  @Override
  public Optional<Task> claim(String nodeId) {
    calls.add(new TaskRequests.Claim(nodeId));
    return Optional.empty();
  }

  /** When set, every start after the first is refused with this code (the next attempt's). */
  public volatile ErrorCode refuseNextStarts;

  @Override
  public void start(TaskRequests.Ref ref) {
    boolean again = calls.stream().anyMatch(c -> c instanceof TaskRequests.Ref);
    calls.add(ref);
    if (again && refuseNextStarts != null) {
      throw new RejectedException(refuseNextStarts, "Task " + ref.taskId() + " refused");
    }
  }

  @Override
  public void attempt(TaskRequests.RecordAttempt attempt) {
    calls.add(attempt);
  }

  @Override
  public void heartbeat(Heartbeat heartbeat) {
    calls.add(heartbeat);
    if (refuseHeartbeats) {
      throw new RejectedException(
          ErrorCode.NOT_OWNER, "Task " + heartbeat.taskId() + " is owned by other");
    }
  }

  @Override
  public void complete(TaskRequests.Complete complete) {
    calls.add(complete);
  }

  @Override
  public void fail(TaskRequests.Fail fail) {
    calls.add(new Failed(fail));
  }

  @Override
  public void release(TaskRequests.Fail release) {
    calls.add(new Released(release));
  }

  @Override
  public Optional<Task> get(String taskId) {
    return Optional.ofNullable(known.get(taskId));
  }

  @Override
  public List<Task> list(TaskRequests.ListTasks filter) {
    lists.add(filter);
    if (listUnavailable) {
      throw new UnavailableException("mesh.tasks.list got no reply");
    }
    return queued;
  }

  /** Calls of one type, in order. */
  public <T> List<T> of(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Object c : calls) {
      if (type.isInstance(c)) {
        out.add(type.cast(c));
      }
    }
    return out;
  }

  public boolean any(Predicate<Object> p) {
    return calls.stream().anyMatch(p);
  }

  /** A {@code mesh.tasks.fail}. */
  public record Failed(TaskRequests.Fail request) {}

  /** A {@code mesh.tasks.release}. */
  public record Released(TaskRequests.Fail request) {}
}
