package dev.jetmesh.orchestrator.task;

import dev.jetmesh.schema.events.TaskEvent;
import java.util.List;

/** What a decider concluded: events to append (possibly none), or a refusal with its message. */
public sealed interface Decision {
  record Accept(List<TaskEvent> events) implements Decision {
    public Accept {
      events = List.copyOf(events);
    }
  }

  record Reject(String error) implements Decision {}

  static Decision accept(TaskEvent... events) {
    return new Accept(List.of(events));
  }

  static Decision reject(String error) {
    return new Reject(error);
  }
}
