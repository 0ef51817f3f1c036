/**
 * Where the worker claims: the {@link dev.jetmesh.worker.claim.ClaimLoop} (claim, work what came,
 * sleep, claim again), joining a collaboration session while idle ({@link
 * dev.jetmesh.worker.claim.Recruiting}), releasing the task a crash and restart left this node
 * holding ({@link dev.jetmesh.worker.claim.RestartRecovery}), and the {@link
 * dev.jetmesh.worker.claim.CurrentTask} that the alive check reads and notices stop.
 */
@NullMarked
package dev.jetmesh.worker.claim;

import org.jspecify.annotations.NullMarked;
