package dev.jetmesh.worker.git;

import java.nio.file.Path;

/**
 * A task's worktree.
 *
 * @param taskId the task
 * @param path the worktree directory, {@code <base>/<task_id>}
 * @param branch {@code mesh/<task_id>}
 * @param baseSha the workspace commit the branch started from
 */
public record Worktree(String taskId, Path path, String branch, String baseSha) {}
