/**
 * The jetmesh worker: configuration, the command line ({@link dev.jetmesh.worker.WorkerMain}), and
 * the claim loop ({@link dev.jetmesh.worker.Worker}) that ties NATS, providers, git worktrees and
 * the attempt loop together. A worker holds no state that matters: kill it at any moment and the
 * orchestrator's timers recover its task.
 */
@NullMarked
package dev.jetmesh.worker;

import org.jspecify.annotations.NullMarked;
