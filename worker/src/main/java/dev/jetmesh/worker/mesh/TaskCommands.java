package dev.jetmesh.worker.mesh;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import java.util.List;
import java.util.Optional;

/**
 * The {@code mesh.tasks.*} requests a worker makes. Every method throws {@link RejectedException}
 * when the orchestrator refuses, and {@link UnavailableException} when the outcome is unknown.
 * Implementations are thread-safe: heartbeats go out from their own thread while the attempt loop
 * reports.
 */
public interface TaskCommands {
  /** {@code mesh.tasks.claim}: the claimed task, or empty when there is nothing for this node. */
  Optional<Task> claim(String nodeId);

  /** {@code mesh.tasks.start}. */
  void start(TaskRequests.Ref ref);

  /** {@code mesh.tasks.attempt}. */
  void attempt(TaskRequests.RecordAttempt attempt);

  /** {@code mesh.tasks.heartbeat}. */
  void heartbeat(Heartbeat heartbeat);

  /** {@code mesh.tasks.complete}. */
  void complete(TaskRequests.Complete complete);

  /** {@code mesh.tasks.fail}. */
  void fail(TaskRequests.Fail fail);

  /** {@code mesh.tasks.release}. */
  void release(TaskRequests.Fail release);

  /** {@code mesh.tasks.get}: the task, or empty when the orchestrator does not know it. */
  Optional<Task> get(String taskId);

  /** {@code mesh.tasks.list}. */
  List<Task> list(TaskRequests.ListTasks filter);
}
