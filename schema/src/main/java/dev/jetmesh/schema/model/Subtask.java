package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A subtask as the wire shows it (REFERENCE.md section 2): the planned fields plus its progress.
 * {@code mesh_task_id} is set when it was dispatched as a mesh task; {@code kanban_task_id} is kept
 * for compatibility and stays null (jetmesh has no kanban bridge).
 */
public record Subtask(
    String subtaskId,
    String title,
    String description,
    SubtaskDelegation delegation,
    int budgetMinutes,
    String budgetSource,
    @Nullable String metric,
    List<String> scope,
    List<String> successCriteria,
    List<String> dependsOn,
    int wave,
    SubtaskStatus status,
    @Nullable String meshTaskId,
    @Nullable String kanbanTaskId,
    @Nullable String owner,
    @Nullable JsonNode result) {

  public Subtask {
    scope = List.copyOf(scope);
    successCriteria = List.copyOf(successCriteria);
    dependsOn = List.copyOf(dependsOn);
    result = TaskSpec.jsonOrNull(result);
  }

  /** A planned subtask, not yet dispatched. */
  public static Subtask pending(SubtaskSpec s) {
    return new Subtask(
        s.subtaskId(),
        s.title(),
        s.description(),
        s.delegation(),
        s.budgetMinutes(),
        s.budgetSource(),
        s.metric(),
        s.scope(),
        s.successCriteria(),
        s.dependsOn(),
        s.wave(),
        SubtaskStatus.PENDING,
        null,
        null,
        null,
        null);
  }

  /** This subtask with a new status, mesh task, owner and result. */
  public Subtask with(
      SubtaskStatus st, @Nullable String meshTask, @Nullable String own, @Nullable JsonNode res) {
    return new Subtask(
        subtaskId,
        title,
        description,
        delegation,
        budgetMinutes,
        budgetSource,
        metric,
        scope,
        successCriteria,
        dependsOn,
        wave,
        st,
        meshTask,
        kanbanTaskId,
        own,
        res);
  }
}
