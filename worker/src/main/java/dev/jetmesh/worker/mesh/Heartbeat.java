package dev.jetmesh.worker.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code mesh.tasks.heartbeat}: {@code {task_id,node_id,claim_token,activity_state?}}. The activity
 * state says what the worker is doing ({@code llm}, {@code metric}, {@code merging}, ...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Heartbeat(
    String taskId, String nodeId, @Nullable Long claimToken, String activityState) {}
