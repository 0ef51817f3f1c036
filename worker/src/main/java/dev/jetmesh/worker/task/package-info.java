/**
 * Solo execution of one claimed task (REFERENCE.md section 6): {@link
 * dev.jetmesh.worker.task.TaskExecutor} sets up (provider, worktree, start, heartbeats) and cleans
 * up; {@link dev.jetmesh.worker.task.AttemptLoop} retries with backoff; {@link
 * dev.jetmesh.worker.task.TaskAttempt} judges one attempt in the reference's words and {@link
 * dev.jetmesh.worker.task.Transcript} keeps its full output; {@link
 * dev.jetmesh.worker.task.TaskCompletion} merges or keeps the work; {@link
 * dev.jetmesh.worker.task.TaskReporter} is every {@code mesh.tasks.*} command the run sends.
 */
@NullMarked
package dev.jetmesh.worker.task;

import org.jspecify.annotations.NullMarked;
