/**
 * The jetmesh worker: configuration read and checked once ({@link dev.jetmesh.worker.WorkerConfig},
 * with the {@link dev.jetmesh.worker.ProviderCheck} of the providers' programs), the command line
 * ({@link dev.jetmesh.worker.WorkerMain}), and the {@link dev.jetmesh.worker.Worker} that puts the
 * parts together: {@code mesh} (NATS), {@code claim} (the join and the claim loop), {@code node}
 * (host facts and health beats), {@code task} and {@code collab} (solo tasks and session
 * membership), {@code run} (the attempt runner both share), and the tools {@code git}, {@code
 * provider}, {@code prompt}, {@code process}. A worker holds no state that matters: kill it at any
 * moment and the orchestrator's timers recover its task. The package layering is checked by {@code
 * WorkerArchitectureTest}.
 */
@NullMarked
package dev.jetmesh.worker;

import org.jspecify.annotations.NullMarked;
