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
   * all three. A document is reused only for a state that encodes to the same text ({@link
   * #sameText}), so a stale or foreign entry costs an encoding, never a wrong document.
   * Direct-mapped by task id (two tasks on one slot evict each other): a cache with an eviction
   * policy cost as much as the encodings it saved.
   */
  private static final int SLOTS = 4_096; // a power of two; entries are about 2 kB

  /** Larger documents (long results, many attempts) are written each time rather than kept. */
  private static final int MAX_KEPT_CHARS = 64 * 1024;

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
    if (w != null && (w.task() == task || sameText(w.task(), task))) {
      return w.json();
    }
    String json = write(task);
    if (json.length() <= MAX_KEPT_CHARS) {
      RECENT.setRelease(slot, new Written(task, json));
    }
    return json;
  }

  /**
   * Whether two states encode to the same text. Record equality is not enough: Jackson's trees are
   * equal regardless of their objects' key order, and {@code 1.5} equals {@code 1.50} in a decimal
   * node, though each prints as it is; so the trees a task holds are compared as they print.
   */
  private static boolean sameText(Task a, Task b) {
    if (a.version() != b.version() || !a.equals(b)) {
      return false;
    }
    if (!JsonTrees.sameText(a.result(), b.result())
        || !JsonTrees.sameText(a.collaboration(), b.collaboration())) {
      return false;
    }
    for (int i = 0; i < a.attempts().size(); i++) {
      if (!JsonTrees.sameText(a.attempts().get(i).tokens(), b.attempts().get(i).tokens())) {
        return false;
      }
    }
    return true;
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
