package dev.jetmesh.worker.mesh;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code mesh.tasks.heartbeat}: {@code {task_id,node_id,claim_token,activity_state?}}. The activity
 * state says what the worker is doing ({@code llm}, {@code metric}, {@code merging}, ...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Heartbeat(String taskId, String nodeId, Long claimToken, String activityState) {}
