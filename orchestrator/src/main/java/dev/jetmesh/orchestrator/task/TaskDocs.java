package dev.jetmesh.orchestrator.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jetmesh.orchestrator.wire.RawJson;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Task;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JSON documents the task tables keep ({@code tasks.doc}, {@code task_attempts.output}): what
 * queries hand back whole, so that a read never reassembles a task from its columns. Thread-safe.
 */
final class TaskDocs {
  private static final ObjectMapper M = Json.mapper();

  /**
   * The last document written for each recent task, with the state it was written from. A command
   * writes the new state for its notification and its reply, and the projector writes an equal
   * state (folded from the same event) into {@code tasks.doc} a moment later: one encoding serves
   * all three. A state is reused only when it equals the one asked for, so a stale or foreign entry
   * costs an encoding, never a wrong document. Direct-mapped by task id (two tasks on one slot
   * evict each other): a cache with an eviction policy cost as much as the encodings it saved.
   */
  private static final int SLOTS = 4_096; // a power of two; entries are about 2 kB

  private static final AtomicReferenceArray<Written> RECENT = new AtomicReferenceArray<>(SLOTS);

  private record Written(Task task, String json) {}

  private TaskDocs() {}

  /** The task a {@code tasks.doc} holds. */
  static Task read(String doc) {
    try {
      return M.readValue(doc, Task.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable task row: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code task}'s document, as the wire returns it and {@code tasks.doc} holds it. */
  @SuppressWarnings("ReferenceEquality") // the same instance first: a command's reply and notice
  static String task(Task task) {
    int slot = task.taskId().hashCode() & (SLOTS - 1);
    Written w = RECENT.getAcquire(slot);
    if (w != null && (w.task() == task || w.task().equals(task))) {
      return w.json();
    }
    String json = write(task);
    RECENT.setRelease(slot, new Written(task, json));
    return json;
  }

  /** {@link #task}, to embed in a reply or a notification without encoding it again. */
  static RawJson raw(Task task) {
    return new RawJson(task(task));
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
