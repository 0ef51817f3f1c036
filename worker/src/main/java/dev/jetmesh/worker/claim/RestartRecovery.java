package dev.jetmesh.worker.claim;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.mesh.TaskCommands;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a crash and restart the orchestrator still thinks this node holds a task, and refuses its
 * claims with {@code ALREADY_ACTIVE}. Nothing of that run survives, so the claim loop releases the
 * task rather than block this node until the stall timer fires; this finds which task it is.
 * Stateless and thread-safe.
 */
final class RestartRecovery {
  /** The release reason of a task a restart left behind. */
  static final String REASON = "worker restarted; the previous run was lost";

  private static final Logger log = LoggerFactory.getLogger(RestartRecovery.class);

  private final TaskCommands commands;
  private final String nodeId;

  RestartRecovery(TaskCommands commands, String nodeId) {
    this.commands = requireNonNull(commands, "null commands");
    this.nodeId = requireNonNull(nodeId, "null nodeId");
  }

  /**
   * The solo task the orchestrator shows this node holding, if there is one to release. A
   * collaboration task is left alone: it is settled by its session (which marks a vanished member
   * dead), and releasing it here would abort the session for everyone.
   */
  Optional<Task> heldTask() {
    String taskId = "(unknown)";
    try {
      // The refusal says only that this node holds a task; which one, the read model tells.
      Optional<String> held = heldTaskId();
      if (held.isEmpty()) {
        return Optional.empty();
      }
      taskId = held.get();
      Optional<Task> t = commands.get(taskId);
      if (t.isPresent()
          && nodeId.equals(t.get().owner())
          && t.get().status() != null
          && t.get().status().isActive()
          && t.get().collaboration() == null) {
        return t;
      }
    } catch (RuntimeException e) {
      log.warn("could not recover task {}: {}", taskId, e.getMessage());
    }
    return Optional.empty();
  }

  /** {@code mesh.tasks.list owner=<node>}: a task the read model shows this node holding. */
  private Optional<String> heldTaskId() {
    for (String status : List.of("claimed", "running")) {
      List<Task> held = commands.list(new TaskRequests.ListTasks(status, nodeId, null, 1));
      if (!held.isEmpty()) {
        return Optional.of(held.get(0).taskId());
      }
    }
    return Optional.empty();
  }
}
