package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import org.jspecify.annotations.Nullable;

/**
 * A task's JSON, written once per command though it is sent twice: in the {@code mesh.events.*}
 * notification and in the reply, both on the request's thread. Writing the whole task was, twice
 * over, the largest single cost of a claim, start or complete in the orchestrator's profile.
 */
final class TaskJson {
  private record Written(Task task, RawValue json) {}

  /** The last task written on this thread; a request's thread lives for that request. */
  private static final ThreadLocal<@Nullable Written> LAST = new ThreadLocal<>();

  private TaskJson() {}

  /** {@code task} as JSON to embed as is, from this thread's last write when it is that task. */
  @SuppressWarnings("ReferenceEquality") // the same object, not an equal one: equals is deep
  static RawValue of(Task task) {
    Written last = LAST.get();
    if (last != null && last.task() == task) {
      return last.json();
    }
    try {
      RawValue json = new RawValue(Json.mapper().writeValueAsString(task));
      LAST.set(new Written(task, json));
      return json;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write task " + task.taskId(), e);
    }
  }
}
