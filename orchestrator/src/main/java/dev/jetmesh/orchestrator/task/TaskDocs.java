package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;

/**
 * The JSON documents the task tables keep ({@code tasks.doc}, {@code task_attempts.output}): what
 * queries hand back whole, so that a read never reassembles a task from its columns. Thread-safe.
 */
final class TaskDocs {
  private static final ObjectMapper M = Json.mapper();

  private TaskDocs() {}

  /** The task a {@code tasks.doc} holds. */
  static Task read(String doc) {
    try {
      return M.readValue(doc, Task.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable task row: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code value} as a JSON document. */
  static String write(Object value) {
    try {
      return M.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
