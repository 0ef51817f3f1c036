package dev.jetmesh.schema.wire;

import dev.jetmesh.schema.model.Task;
import java.time.Instant;

/**
 * The reference's {@code mesh.events.<type>} notification: {@code {event, task_id, task,
 * timestamp}}, with {@code event} the bare type. At-most-once, as in the reference; durable readers
 * consume the event stream instead.
 */
public record Notification(String event, String taskId, Task task, Instant timestamp) {}
