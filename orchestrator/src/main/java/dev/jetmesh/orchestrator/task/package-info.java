/**
 * Everything about tasks: state and {@link dev.jetmesh.orchestrator.task.TaskEvolver#evolve
 * evolve}, the pure {@link dev.jetmesh.orchestrator.task.TaskDecider}, the command handler, claim
 * selection, the projector's SQL, read queries, the budget and stall timers and the {@code
 * mesh.tasks.*} routes.
 */
@NullMarked
package dev.jetmesh.orchestrator.task;

import org.jspecify.annotations.NullMarked;
